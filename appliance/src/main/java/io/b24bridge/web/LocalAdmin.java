package io.b24bridge.web;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsConfig;
import io.helidon.webclient.api.WebClient;

import io.b24bridge.access.LocalTools;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.tls.TlsMaterial;

/**
 * The appliance running on this machine, as its own commands ({@code backup}, {@code doctor}) and the installer
 * reach it: on the admin listener the configuration names. The listener's own certificate is the only one
 * trusted (pinning), which is stronger than a host-name check against an address the certificate may not carry.
 */
public final class LocalAdmin {

    private LocalAdmin() {
    }

    /** Where a client on this machine reaches a listener bound to {@code host} (a wildcard means loopback). */
    public static String url(String host, int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "https://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /** Where a client on this machine reaches the admin listener. */
    public static String url(ApplianceConfig.Listener admin) {
        return url(admin.host(), admin.port());
    }

    /**
     * A client of the admin listener that trusts exactly the listener's own certificate and presents the local tools'
     * credential (made by the running appliance in {@code storage.dir/keys}) when this user may read it: root and
     * the service's user may.
     */
    public static WebClient client(ApplianceConfig config, Duration connectTimeout, Duration readTimeout) {
        ApplianceConfig.Listener admin = config.adminListener();
        TlsMaterial own = TlsMaterial.load(admin.tls());
        TlsConfig.Builder tls = Tls.builder()
                .trust(List.of(own.certificate()))
                .endpointIdentificationAlgorithm("NONE");
        LocalTools.read(keysDir(config)).ifPresent(t -> tls.privateKey(t.key()).privateKeyCertChain(List.of(t.certificate())));
        return WebClient.builder()
                .baseUri(URI.create(url(admin)))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .shareConnectionCache(false)
                .tls(tls.build())
                .build();
    }

    /** Whether this user may present the local tools' credential (else the admin API answers it 401). */
    public static boolean hasCredential(ApplianceConfig config) {
        return LocalTools.read(keysDir(config)).isPresent();
    }

    private static Path keysDir(ApplianceConfig config) {
        return config.storage().dir().resolve("keys");
    }
}
