package io.b24bridge.web;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.common.tls.TlsConfig;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.tls.TlsMaterial;

/** Turns a listener's configuration into Helidon's server-side {@link Tls}. */
public final class ServerTls {

    private ServerTls() {
    }

    public static Tls of(ApplianceConfig.Listener listener) {
        return of(listener, List.of(), listener.clientAuth());
    }

    /**
     * The admin listener: besides the admin CA (when {@code client-auth} is {@code optional} or {@code required}) it
     * trusts the local tools' own certificate, and asks every client for a certificate ("want": {@code none}
     * becomes optional at the TLS level, so the tools can present theirs; a browser without one goes on). Which
     * certificates stand for whom is the {@code admin.AdminGuard}'s business.
     */
    public static Tls admin(ApplianceConfig.Listener listener, X509Certificate localTools) {
        ApplianceConfig.ClientAuth mode = listener.clientAuth() == ApplianceConfig.ClientAuth.REQUIRED
                ? ApplianceConfig.ClientAuth.REQUIRED : ApplianceConfig.ClientAuth.OPTIONAL;
        return of(listener, List.of(localTools), mode);
    }

    private static Tls of(ApplianceConfig.Listener listener, List<X509Certificate> alsoTrusted,
                          ApplianceConfig.ClientAuth mode) {
        TlsMaterial material = TlsMaterial.load(listener.tls());
        TlsConfig.Builder tls = Tls.builder()
                .privateKey(material.key())
                .privateKeyCertChain(material.chain())
                .enabledProtocols(List.of("TLSv1.3", "TLSv1.2"))
                // Helidon would apply the client-side HTTPS host check to the server socket, where the JDK
                // refuses every client certificate; host names are checked by clients, not by servers
                .endpointIdentificationAlgorithm("NONE")
                .clientAuth(switch (mode) {
                    case NONE -> TlsClientAuth.NONE;
                    case OPTIONAL -> TlsClientAuth.OPTIONAL;
                    case REQUIRED -> TlsClientAuth.REQUIRED;
                });
        List<X509Certificate> trust = new ArrayList<>(listener.clientAuth() == ApplianceConfig.ClientAuth.NONE
                ? List.of() : material.trust());
        trust.addAll(alsoTrusted);
        if (!trust.isEmpty()) {
            tls.trust(trust);
        }
        return tls.build();
    }
}
