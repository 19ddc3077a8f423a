package io.b24bridge.testkit.bitrix;

import java.time.Duration;
import java.util.logging.Logger;

import io.helidon.common.tls.TlsClientAuth;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;

/**
 * The emulator's two ports — the box's, and the separate OAuth server's — and their closing and reopening on the
 * same numbers for a REFUSED outage (a closed socket is the only honest "connection refused").
 */
final class Listeners {

    private static final Logger LOG = Logger.getLogger(Listeners.class.getName());

    /** Whether the box's port asks for client certificates. */
    enum ClientCerts {
        NONE,
        /** asked for; each path decides what a request without one gets */
        OPTIONAL,
        REQUIRED
    }

    private final String host;
    /** The host name the box's URLs carry, when not the one it listens on. */
    private final String advertisedHost;
    private final EmulatorTls tls;
    private final ClientCerts clientCerts;
    private final boolean pageWithoutClientCert;
    private final Handler box;
    private final Handler oauth;
    private final Object lock = new Object();
    private WebServer boxServer;
    private WebServer oauthServer;
    private volatile int boxPort = -1;
    private volatile int oauthPort = -1;
    private volatile boolean stopped;

    Listeners(String host, String advertisedHost, EmulatorTls tls, ClientCerts clientCerts,
              boolean pageWithoutClientCert, Handler box, Handler oauth) {
        this.host = host;
        this.advertisedHost = advertisedHost;
        this.tls = tls;
        this.clientCerts = clientCerts;
        this.pageWithoutClientCert = pageWithoutClientCert;
        this.box = box;
        this.oauth = oauth;
    }

    void start(int port, int oauthPortWanted) {
        synchronized (lock) {
            if (boxServer != null || stopped) {
                throw new IllegalStateException(stopped ? "a stopped emulator cannot start again: build a new one"
                        : "already started");
            }
            boxServer = listen(port, box);
            boxPort = boxServer.port();
            try {
                oauthServer = listen(oauthPortWanted, oauth);
            } catch (RuntimeException e) {
                boxServer.stop();
                boxServer = null;
                throw e;
            }
            oauthPort = oauthServer.port();
        }
    }

    void stop() {
        synchronized (lock) {
            stopped = true;
            if (boxServer != null) {
                boxServer.stop();
            }
            if (oauthServer != null) {
                oauthServer.stop();
            }
            boxServer = null;
            oauthServer = null;
        }
    }

    int boxPort() {
        return boxPort;
    }

    int oauthPort() {
        return oauthPort;
    }

    /** The host its URLs name: the advertised one, else the one it listens on (a wildcard is reached on loopback). */
    String hostName() {
        if (advertisedHost != null) {
            return advertisedHost;
        }
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /** {@code scheme://host:port} of the box's port. */
    String boxBase() {
        return (tls == null ? "http" : "https") + "://" + hostName() + ":" + boxPort;
    }

    /** {@code scheme://host:port} of the OAuth server's port. */
    String oauthBase() {
        return (tls == null ? "http" : "https") + "://" + hostName() + ":" + oauthPort;
    }

    /** Closes or reopens the box's port, on the same number. */
    void box(boolean open) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (open && boxServer == null && boxPort > 0) {
                boxServer = reopen(boxPort, box, "the box's port");
            } else if (!open && boxServer != null) {
                boxServer.stop();
                boxServer = null;
            }
        }
    }

    /** Closes or reopens the OAuth server's port, on the same number. */
    void oauth(boolean open) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (open && oauthServer == null && oauthPort > 0) {
                oauthServer = reopen(oauthPort, oauth, "the OAuth server's port");
            } else if (!open && oauthServer != null) {
                oauthServer.stop();
                oauthServer = null;
            }
        }
    }

    private WebServer reopen(int port, Handler handler, String what) {
        try {
            return listen(port, handler);
        } catch (IllegalStateException e) {
            LOG.severe(what + " cannot be reopened: " + e.getMessage());
            return null;
        }
    }

    /**
     * Starts a listener. Helidon's start() does not throw when the port cannot be bound: it logs and returns a
     * stopped server, so "running with a port" is what counts. A port given back a moment ago (a REFUSED outage
     * ending) may still be held by the closing listener: then it is tried again for a while.
     */
    private WebServer listen(int port, Handler handler) {
        int attempts = port == 0 ? 1 : 20;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            var b = WebServer.builder()
                    .host(host)
                    .port(port)
                    .shutdownHook(false)
                    .shutdownGracePeriod(Duration.ofMillis(200))
                    .routing(r -> r.any(handler));
            if (tls != null) {
                // the page for people in a browser: the TLS layer only asks for a certificate; the box's REST
                // and OAuth paths still refuse requests without one (BoxPaths.route)
                b.tls(clientCerts == ClientCerts.OPTIONAL
                        || (clientCerts == ClientCerts.REQUIRED && pageWithoutClientCert)
                        ? tls.server(TlsClientAuth.OPTIONAL) : tls.server(clientCerts == ClientCerts.REQUIRED));
            }
            WebServer ws = b.build().start();
            if (ws.isRunning() && ws.port() > 0) {
                return ws;
            }
            ws.stop();
            if (attempt < attempts) {
                Faults.sleep(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException("cannot listen on " + host + ":" + port + " (address in use or not available)");
    }
}
