package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Records an AMI session as raw text, exactly as Asterisk sends it (banner, login response, every event with
 * its {@code Privilege} and all fields, CRLFs kept): the transcripts the appliance's unit tests replay. It
 * logs in as the given user, so a transcript holds what that user's read classes let through. When the
 * connection drops (Asterisk restarted) it writes a {@code #} note and reconnects until stopped.
 */
public final class AmiRecorder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AmiRecorder.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RECONNECT_FOR = Duration.ofSeconds(60);

    private final AmiEndpoint endpoint;
    private final StringBuilder text = new StringBuilder();
    private volatile boolean stopped;
    private volatile AmiClient client;

    private AmiRecorder(AmiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public static AmiRecorder start(AmiEndpoint endpoint) throws IOException {
        AmiRecorder recorder = new AmiRecorder(endpoint);
        recorder.connect();
        return recorder;
    }

    private void connect() throws IOException {
        AmiClient c = AmiClient.connect(endpoint, CONNECT_TIMEOUT, this::append);
        client = c;
        c.closedFuture().thenRun(() -> {
            if (!stopped) {
                Thread t = new Thread(this::reconnect, "ami-recorder-reconnect");
                t.setDaemon(true);
                t.start();
            }
        });
    }

    private void reconnect() {
        append("# AMI connection closed by Asterisk; reconnecting\r\n");
        long deadline = System.nanoTime() + RECONNECT_FOR.toNanos();
        while (!stopped && System.nanoTime() < deadline) {
            try {
                connect();
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        LOG.warning(() -> "recorder gave up reconnecting to " + endpoint);
    }

    private void append(String chunk) {
        synchronized (text) {
            text.append(chunk);
        }
    }

    /** Stops recording; returns the text received so far. */
    public String stop() {
        stopped = true;
        AmiClient c = client;
        if (c != null) {
            c.close();
        }
        return text();
    }

    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Writes a transcript: each header line as a {@code #} comment (what the scenario was), then the text. */
    public static void save(Path file, List<String> header, String transcript) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : header) {
            out.append("# ").append(line).append("\r\n");
        }
        out.append(transcript);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }
}
