package io.b24bridge.web;

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
        TlsMaterial material = TlsMaterial.load(listener.tls());
        TlsConfig.Builder tls = Tls.builder()
                .privateKey(material.key())
                .privateKeyCertChain(material.chain())
                .enabledProtocols(List.of("TLSv1.3", "TLSv1.2"))
                // Helidon would apply the client-side HTTPS host check to the server socket, where the JDK
                // refuses every client certificate; host names are checked by clients, not by servers
                .endpointIdentificationAlgorithm("NONE")
                .clientAuth(switch (listener.clientAuth()) {
                    case NONE -> TlsClientAuth.NONE;
                    case OPTIONAL -> TlsClientAuth.OPTIONAL;
                    case REQUIRED -> TlsClientAuth.REQUIRED;
                });
        if (!material.trust().isEmpty()) {
            tls.trust(material.trust());
        }
        return tls.build();
    }
}
