package io.b24bridge.pbx;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;

/**
 * The FastAGI listener the PBXs' dialplan calls ({@code AGI(agi://host:port/<script>,…)}): asterisk-java's
 * server, each request on a pool thread, the script chosen by the URL's path ({@code /route}). Plain TCP, as
 * Asterisk speaks it: bind it to the address the PBXs reach and nothing wider.
 */
public final class FastAgiServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FastAgiServer.class.getName());
    private static final int MAX_THREADS = 200;

    private final String host;
    private final int port;
    private final Server server;
    private final Thread acceptor;

    /** @param scripts by name: {@code route} answers {@code agi://…/route} */
    public FastAgiServer(String host, int port, Map<String, AgiScript> scripts) throws IOException {
        this.host = host;
        this.port = port;
        Map<String, AgiScript> byName = Map.copyOf(scripts);
        MappingStrategy mapping = (request, channel) -> byName.get(scriptName(request.getScript()));
        this.server = new Server(mapping);
        server.setAddress(InetAddress.getByName(host));
        server.setPort(port);
        server.setMaximumPoolSize(MAX_THREADS);
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

    /** asterisk-java's server, telling when its socket is bound (its startup() blocks in the accept loop). */
    private static final class Server extends DefaultAgiServer {

        final CompletableFuture<Void> bound = new CompletableFuture<>();

        Server(MappingStrategy mapping) {
            super(mapping);
        }

        @Override
        protected ServerSocketFacade createServerSocket() throws IOException {
            ServerSocketFacade socket = super.createServerSocket();
            bound.complete(null);
            return socket;
        }
    }
}
