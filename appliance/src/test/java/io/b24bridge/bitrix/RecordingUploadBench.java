package io.b24bridge.bitrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

/**
 * Not a test: the heap a recording's upload takes, for a 200 MB file (the first argument, MB). A box stand-in over
 * mutual TLS in this JVM reads what it gets and throws it away (it holds nothing), so the peak the JVM's heap pools
 * report is the client's. Three ways: the two-step flow (the file as it is, multipart), FILE_CONTENT streamed in base64,
 * and — for comparison, with a smaller file (the second argument, 20 MB: the whole file in memory several times over
 * would take the heap) — what 0.1 did (the file read whole, base64-encoded, URL-encoded into one form string).
 * Run from {@code appliance/} with a fixed heap, so the numbers are comparable:
 * <pre>
 * ../mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -Xms64m -Xmx2g -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.bitrix.RecordingUploadBench [200] [20]
 * </pre>
 * The peak includes garbage not yet collected (TLS records, 64 KB chunks); with {@code -Xmx64m} the 200 MB uploads
 * still go through, while 0.1's way runs out of memory on the 20 MB file: the heap a streamed upload needs does not
 * grow with the file.
 */
public final class RecordingUploadBench {

    private RecordingUploadBench() {
    }

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int oldMb = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("upload-bench");
        Path wav = write(dir.resolve("recording.wav"), mb);
        Path small = write(dir.resolve("small.wav"), oldMb);
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        Sink sink = new Sink(pki);
        Database db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        URI url = URI.create("https://localhost:" + sink.server.getAddress().getPort());
        Secret password = Secret.of(pki.password());
        ApplianceConfig.Bitrix24 config = new ApplianceConfig.Bitrix24(url, ApplianceConfig.AuthMode.WEBHOOK,
                Optional.empty(), Optional.of(new ApplianceConfig.Webhook(1, Secret.of("bench"), Optional.empty())),
                new ApplianceConfig.Tls(pki.applianceClient(), password, Optional.empty(), Optional.of(pki.trustStore()),
                        Optional.of(password)), Duration.ofSeconds(3), Duration.ofSeconds(30), 1000, 1000);
        try (BoxClient client = BoxClient.create(config, db, dir.resolve("keys/k"), Json.newMapper())) {
            TelephonyApi telephony = new TelephonyApi(client);
            System.out.printf("recording: %d MB; heap max %d MB%n", mb, Runtime.getRuntime().maxMemory() >> 20);
            measure("two-step upload (multipart, streamed)", sink, () -> {
                sink.handsOutUploadUrl = true;
                telephony.attachRecord("c1", "recording.wav", wav);
            });
            measure("FILE_CONTENT (base64, streamed)", sink, () -> {
                sink.handsOutUploadUrl = false;
                telephony.attachRecord("c1", "recording.wav", wav);
            });
            System.out.printf("for comparison, a %d MB recording:%n", oldMb);
            measure("two-step upload (multipart, streamed)", sink, () -> {
                sink.handsOutUploadUrl = true;
                telephony.attachRecord("c1", "small.wav", small);
            });
            measure("0.1's way (read whole, base64 in memory)", sink, () -> {
                byte[] content = Files.readAllBytes(small);
                client.call(TelephonyApi.ATTACH_RECORD, Params.of().put("CALL_ID", "c1")
                        .put("FILENAME", "recording.wav").put("FILE_CONTENT", Base64.getEncoder().encodeToString(content)));
            });
        } finally {
            sink.server.stop(0);
            sink.pool.shutdownNow(); // its threads would keep the JVM alive
            db.close();
        }
    }

    private static Path write(Path file, int mb) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] block = new byte[1 << 20];
            new java.util.Random(1).nextBytes(block);
            for (int i = 0; i < mb; i++) {
                f.write(block);
            }
        }
        return file;
    }

    private interface Upload {
        void run() throws Exception;
    }

    private static void measure(String what, Sink sink, Upload upload) throws Exception {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        sink.received.set(0);
        long t0 = System.nanoTime();
        try {
            upload.run();
        } catch (OutOfMemoryError e) {
            System.out.printf("%-44s OutOfMemoryError%n", what);
            return;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%-44s %6d ms, %5d MB sent, peak heap %5d MB (%d MB above the %d MB before)%n", what, ms,
                sink.received.get() >> 20, peak >> 20, (peak - before) >> 20, before >> 20);
    }

    /** The box: attachRecord hands out an upload URL (or not); what comes is read and thrown away. */
    private static final class Sink {
        final HttpsServer server;
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        final AtomicLong received = new AtomicLong();
        volatile boolean handsOutUploadUrl = true;

        Sink(DevPki.Files pki) throws IOException {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(TestTls.context(pki.trustStore(), pki.boxServer(),
                    pki.password())) {
                @Override
                public void configure(HttpsParameters params) {
                    params.setNeedClientAuth(true);
                }
            });
            server.setExecutor(pool);
            server.createContext("/", this::handle);
            server.start();
        }

        private void handle(HttpExchange ex) throws IOException {
            long n = 0;
            byte[] head = new byte[256];
            int headLen = 0;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = ex.getRequestBody()) {
                int r;
                while ((r = in.read(buf)) > 0) {
                    if (headLen < head.length) {
                        int c = Math.min(r, head.length - headLen);
                        System.arraycopy(buf, 0, head, headLen, c);
                        headLen += c;
                    }
                    n += r;
                }
            }
            received.addAndGet(n);
            String start = new String(head, 0, headLen, StandardCharsets.ISO_8859_1);
            String path = ex.getRequestURI().getPath();
            String json;
            if (path.endsWith("upload.json")) {
                json = "{\"result\": {\"FILE_ID\": 1}}";
            } else if (handsOutUploadUrl && !start.contains("FILE_CONTENT")) {
                json = "{\"result\": {\"uploadUrl\": \"https://crm.corp.local/rest/1/bench/upload.json?token=t\","
                        + " \"fieldName\": \"file\"}}";
            } else if (!handsOutUploadUrl && !start.contains("FILE_CONTENT")) {
                json = "{\"result\": {}}";
            } else {
                json = "{\"result\": {\"FILE_ID\": 2}}";
            }
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        }
    }
}
