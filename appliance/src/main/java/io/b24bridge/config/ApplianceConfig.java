package io.b24bridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The appliance's start-up configuration, as a typed tree. It holds what must be known before anything runs
 * (where the data lives, the listeners and their certificates). What the operators edit while it runs —
 * routes, templates, exceptions — lives in the settings store instead (package {@code settings}).
 *
 * @param source        the file it was read from
 * @param storage       where the Derby database and working files live
 * @param boxListener   HTTPS with mutual TLS: the Bitrix24 box (or the nginx in front of it) calls in here
 * @param adminListener HTTPS: the panel, the JSON API, {@code /health} and {@code /metrics}
 * @param shutdownGrace how long a stop waits for work in flight
 */
public record ApplianceConfig(Path source,
                              Storage storage,
                              Listener boxListener,
                              Listener adminListener,
                              Duration shutdownGrace) {

    /** @param dir the folder of the Derby database, backups by default and working files */
    public record Storage(Path dir) {
        public Path databaseDir() {
            return dir.resolve("db");
        }
    }

    /**
     * One HTTPS listener.
     *
     * @param host      address to bind ({@code 0.0.0.0} for all)
     * @param port      TCP port; 0 picks a free one (tests)
     * @param tls       its certificate, and for mutual TLS the CAs whose client certificates it accepts
     * @param clientAuth whether a client certificate is demanded
     */
    public record Listener(String host, int port, Tls tls, ClientAuth clientAuth) {
    }

    /** Whether a listener demands a client certificate. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    /**
     * TLS material in PKCS#12 files (the layout the {@code certs} tool writes).
     *
     * @param keystore           the listener's key and certificate chain
     * @param keystorePassword   its password
     * @param keyAlias           the key's alias; empty = the keystore's only key
     * @param truststore         CA certificates trusted for client certificates (empty = none)
     * @param truststorePassword its password
     */
    public record Tls(Path keystore, Secret keystorePassword, Optional<String> keyAlias,
                      Optional<Path> truststore, Optional<Secret> truststorePassword) {
    }
}
