package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small raw AMI client for the harness itself: it drives the world instance and records the PBX's
 * events exactly as they arrive (asterisk-java parses text into objects and loses it, so the recorder
 * cannot use it). Responses are matched to actions by ActionID; events go to listeners on the reader
 * thread, which must return quickly.
 */
public final class AmiClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AmiClient.class.getName());
    private static final AtomicLong IDS = new AtomicLong();

    private final AmiEndpoint endpoint;
    private final Socket socket;
    private final OutputStream out;
    private final Consumer<String> rawSink;
    private final Map<String, CompletableFuture<AmiMessage>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<AmiMessage>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private AmiClient(AmiEndpoint endpoint, Socket socket, Consumer<String> rawSink) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.rawSink = rawSink;
    }

    /** Connects and logs in; {@code rawSink} (may be null) receives every character read, banner included. */
    public static AmiClient connect(AmiEndpoint endpoint, Duration timeout, Consumer<String> rawSink)
            throws IOException {
        return connect(endpoint, timeout, rawSink, null);
    }

    /**
     * As {@link #connect(AmiEndpoint, Duration, Consumer)}, with a first event listener (may be null) in place
     * before the login, so it also sees what Asterisk sends right after it ({@code FullyBooted}).
     */
    public static AmiClient connect(AmiEndpoint endpoint, Duration timeout, Consumer<String> rawSink,
                                    Consumer<AmiMessage> listener) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            AmiClient client = new AmiClient(endpoint, socket, rawSink == null ? s -> { } : rawSink);
            if (listener != null) {
                client.addListener(listener);
            }
            Thread reader = new Thread(client::readLoop, "ami-" + endpoint);
            reader.setDaemon(true);
            reader.start();
            AmiMessage login = client.send(timeout, "Login", "Username", endpoint.user(), "Secret", endpoint.secret());
            if (!login.isSuccess()) {
                client.close();
                throw new IOException("AMI login to " + endpoint + " refused: " + login.get("Message"));
            }
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public AmiEndpoint endpoint() {
        return endpoint;
    }

    public void addListener(Consumer<AmiMessage> listener) {
        listeners.add(listener);
    }

    /** Completes when the connection ends, whoever ended it. */
    public CompletableFuture<Void> closedFuture() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /**
     * Sends an action given as header name/value pairs after its name, and waits for its response.
     * A name may repeat (e.g. several {@code Variable} headers).
     */
    public AmiMessage send(Duration timeout, String action, String... headers) throws IOException {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name/value pairs");
        }
        String id = "h" + IDS.incrementAndGet();
        StringBuilder text = new StringBuilder("Action: ").append(action).append("\r\nActionID: ").append(id).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            text.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        text.append("\r\n");
        CompletableFuture<AmiMessage> response = new CompletableFuture<>();
        pending.put(id, response);
        try {
            synchronized (out) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            LOG.fine(() -> "AMI " + endpoint + " -> " + action);
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("AMI " + endpoint + ": no response to " + action + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IOException("AMI " + endpoint + ": connection lost during " + action, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + action, e);
        } finally {
            pending.remove(id);
        }
    }

    private void readLoop() {
        try (Reader in = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)) {
            StringBuilder buffer = new StringBuilder();
            char[] chunk = new char[8192];
            boolean bannerSeen = false;
            int n;
            while ((n = in.read(chunk)) > 0) {
                String text = new String(chunk, 0, n);
                rawSink.accept(text);
                buffer.append(text);
                if (!bannerSeen) {
                    // the banner ("Asterisk Call Manager/…") ends with one CRLF, not a blank line
                    int eol = buffer.indexOf("\r\n");
                    if (eol < 0) {
                        continue;
                    }
                    buffer.delete(0, eol + 2);
                    bannerSeen = true;
                }
                int end;
                while ((end = buffer.indexOf("\r\n\r\n")) >= 0) {
                    String raw = buffer.substring(0, end);
                    buffer.delete(0, end + 4);
                    dispatch(AmiMessage.parse(raw));
                }
            }
        } catch (IOException e) {
            if (!socket.isClosed()) {
                LOG.log(Level.FINE, "AMI " + endpoint + " read failed", e);
            }
        } finally {
            IOException lost = new IOException("AMI connection to " + endpoint + " closed");
            pending.values().forEach(f -> f.completeExceptionally(lost));
            closed.complete(null);
        }
    }

    private void dispatch(AmiMessage message) {
        if (message.isResponse() && !message.isEvent()) {
            CompletableFuture<AmiMessage> waiting = message.actionId() == null ? null : pending.get(message.actionId());
            if (waiting != null) {
                waiting.complete(message);
            }
            return;
        }
        for (Consumer<AmiMessage> listener : listeners) {
            try {
                listener.accept(message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "AMI listener failed on " + message.event(), e);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing AMI socket", e);
        }
    }
}
