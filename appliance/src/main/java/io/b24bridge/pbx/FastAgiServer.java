package io.b24bridge.pbx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.SocketConnectionFacade;

/**
 * The FastAGI listener the PBXs' dialplan calls ({@code AGI(agi://host:port/<script>,…)}): asterisk-java's
 * server, each request on a pool thread, the script chosen by the URL's path ({@code /route}). Plain TCP, as
 * Asterisk speaks it, with no authentication of its own: only the PBXs' addresses are served (anyone else learns
 * the CRM's answers — a client's responsible and their mobile — from it), a connection that says nothing is closed
 * after {@link #READ_TIMEOUT}, and at most {@link #MAX_THREADS} requests run at once (a request takes milliseconds;
 * asterisk-java's defaults, 3 hours and 200 threads, let a few idle sockets shut routing out).
 */
public final class FastAgiServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FastAgiServer.class.getName());
    static final int MAX_THREADS = 32;
    /** Asterisk sends the request at once and answers each command at once: a silent peer is not a PBX. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final String host;
    private final int port;
    private final Server server;
    private final Thread acceptor;

    /**
     * @param scripts by name: {@code route} answers {@code agi://…/route}
     * @param allowed the peers served (the PBXs); every other connection is closed unanswered
     */
    public FastAgiServer(String host, int port, Map<String, AgiScript> scripts, Set<InetAddress> allowed)
            throws IOException {
        this.host = host;
        this.port = port;
        Map<String, AgiScript> byName = Map.copyOf(scripts);
        MappingStrategy mapping = (request, channel) -> byName.get(scriptName(request.getScript()));
        this.server = new Server(mapping, Set.copyOf(allowed));
        server.setAddress(InetAddress.getByName(host));
        server.setPort(port);
        server.setMaximumPoolSize(MAX_THREADS);
        server.setSocketReadTimeout((int) READ_TIMEOUT.toMillis());
        this.acceptor = Thread.ofPlatform().name("fastagi-" + port).daemon().unstarted(() -> {
            try {
                server.startup();
            } catch (IOException | RuntimeException e) {
                server.bound.completeExceptionally(e);
            }
        });
    }

    /** Binds and starts accepting; throws when the port cannot be bound. */
    public FastAgiServer start() throws IOException {
        acceptor.start();
        try {
            server.bound.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the FastAGI listener cannot bind " + host + ":" + port + " ("
                    + e.getCause().getMessage() + ")", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the FastAGI listener did not bind " + host + ":" + port + " within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the FastAGI listener", e);
        }
        LOG.info(() -> "FastAGI listening on " + host + ":" + port);
        return this;
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    /** Connections closed unanswered because they came from an address that is not a PBX's. */
    public long refused() {
        return server.refused.get();
    }

    /**
     * The addresses of the given names (a PBX's host, an address); a name that does not resolve is left out and
     * logged: its PBX is not served until the name resolves at a restart.
     */
    public static Set<InetAddress> resolve(List<String> names) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String name : names) {
            try {
                out.addAll(List.of(InetAddress.getAllByName(name)));
            } catch (UnknownHostException e) {
                LOG.warning("FastAGI: '" + name + "' does not resolve: its requests will not be served");
            }
        }
        return out;
    }

    /** {@code route?x=y} or {@code /route} → {@code route}. */
    static String scriptName(String script) {
        if (script == null) {
            return "";
        }
        String s = script.startsWith("/") ? script.substring(1) : script;
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "FastAGI shutdown", e);
        }
        acceptor.interrupt();
    }

    /**
     * asterisk-java's server, telling when its socket is bound (its startup() blocks in the accept loop) and
     * handing its loop only the connections of allowed peers.
     */
    private static final class Server extends DefaultAgiServer {

        final CompletableFuture<Void> bound = new CompletableFuture<>();
        final AtomicLong refused = new AtomicLong();
        private final Set<InetAddress> allowed;

        Server(MappingStrategy mapping, Set<InetAddress> allowed) {
            super(mapping);
            this.allowed = allowed;
        }

        @Override
        protected ServerSocketFacade createServerSocket() throws IOException {
            ServerSocketFacade socket = super.createServerSocket();
            bound.complete(null);
            return new ServerSocketFacade() {
                @Override
                public SocketConnectionFacade accept() throws IOException {
                    while (true) {
                        SocketConnectionFacade c = socket.accept();
                        if (allowed.contains(c.getRemoteAddress())) {
                            return c;
                        }
                        long n = refused.incrementAndGet();
                        if (n == 1 || n % 1000 == 0) {
                            LOG.warning("FastAGI: a connection from " + c.getRemoteAddress().getHostAddress()
                                    + " was closed unanswered: not a PBX's address (" + n + " so far; the "
                                    + "addresses served are those of agi.allow, by default the pbx hosts)");
                        }
                        try {
                            c.close();
                        } catch (IOException ignored) {
                            // gone already
                        }
                    }
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }

                @Override
                public void setSocketReadTimeout(int timeout) {
                    socket.setSocketReadTimeout(timeout);
                }
            };
        }
    }
}
