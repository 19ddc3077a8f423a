package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * The real PHP module on the stub box, served like a box by {@code box-module/serve/start.sh} (Debian's nginx with
 * the appliance's mutual-TLS server block, php-fpm, MariaDB), reached over HTTPS: the appliance's or another client
 * certificate on the mutual-TLS port, none on the box's ordinary port. {@link #close()} stops it all.
 */
public final class ServedModuleBox implements ModuleBox, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process server;
    private final Properties ready = new Properties();
    private final Map<String, HttpClient> clients;

    private ServedModuleBox(Process server, Path work) throws IOException {
        this.server = server;
        try (var in = Files.newBufferedReader(work.resolve("ready"))) {
            ready.load(in);
        }
        Path certs = Path.of(ready.getProperty("CERTS"));
        this.clients = Map.of(
                "appliance", PemTls.client(certs.resolve("box-ca.crt"), certs.resolve("appliance.crt"), certs.resolve("appliance.key")),
                "other-certificate", PemTls.client(certs.resolve("box-ca.crt"), certs.resolve("other.crt"), certs.resolve("other.key")),
                "box-port", PemTls.client(certs.resolve("box-ca.crt"), null, null));
    }

    /**
     * Starts the served box from the project's {@code box-module/} in {@code work}; fails with start.sh's output when
     * it does not come up within the timeout (a machine without php-fpm, nginx or MariaDB, among others).
     */
    public static ServedModuleBox start(Path boxModule, Path work, Duration timeout) throws IOException, InterruptedException {
        return start(boxModule, work, timeout, Map.of());
    }

    /**
     * The same with start.sh's options in {@code environment}: {@code B24BRIDGE_APPLIANCE_DN},
     * {@code B24BRIDGE_APPLIANCE_CA}, {@code B24BRIDGE_BEHIND_URL} and {@code B24BRIDGE_BEHIND_KEY} ("behind the
     * module": the box's own REST methods answered by a box emulator there).
     */
    public static ServedModuleBox start(Path boxModule, Path work, Duration timeout, Map<String, String> environment)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path log = work.resolve("start.log");
        ProcessBuilder pb = new ProcessBuilder(boxModule.resolve("serve/start.sh").toString(), work.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        Process server = pb.start();
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.exists(work.resolve("ready"))) {
            if (!server.isAlive() || Instant.now().isAfter(deadline)) {
                server.destroy();
                throw new IOException("the served box did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        try {
            return new ServedModuleBox(server, work);
        } catch (IOException | RuntimeException e) {
            server.destroy();
            throw e;
        }
    }

    @Override
    public ObjectNode reset() {
        Answer answer = post("box-port", "/_stub/box.php", JSON.createObjectNode().put("action", "reset"));
        if (answer.status() != 200) {
            throw new IllegalStateException("reset answered " + answer.status() + " " + answer.body());
        }
        ObjectNode vars = (ObjectNode) answer.body();
        // Debian's fastcgi_params pass HTTP_HOST without the port; the appliance's server block adds its port
        vars.put("host", "127.0.0.1:" + ready.getProperty("MTLS_PORT"));
        vars.put("boxHost", "127.0.0.1");
        return vars;
    }

    @Override
    public Answer token(ObjectNode form, String connection) {
        return post(connection, "/bitrix/services/b24bridge.connector/token.php", form);
    }

    @Override
    public Answer rest(String method, ObjectNode params, String connection) {
        return post(connection, "/rest/" + method, params);
    }

    @Override
    public void box(ObjectNode action) {
        ObjectNode form = action.deepCopy();
        form.set("action", form.remove("box"));
        Answer answer = post("box-port", "/_stub/box.php", form);
        if (answer.status() != 200) {
            throw new IllegalStateException("box action " + action + " answered " + answer.status());
        }
    }

    /** The appliance's mutual-TLS server block: {@code https://127.0.0.1:<port>} (its certificate names 127.0.0.1). */
    public String applianceUrl() {
        return "https://127.0.0.1:" + ready.getProperty("MTLS_PORT");
    }

    /** The PEM certificates start.sh made ({@code box-ca.crt} signed the box's server certificate). */
    public Path certs() {
        return Path.of(ready.getProperty("CERTS"));
    }

    /** The file holding the credential the module showed at its install (the appliance's module.credential-file). */
    public Path credentialFile() {
        return Path.of(ready.getProperty("CREDENTIAL_FILE"));
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy(); // SIGTERM: start.sh stops nginx, php-fpm and its MariaDB
        server.waitFor();
    }

    private Answer post(String connection, String path, ObjectNode form) {
        String port = connection.startsWith("box-port") ? ready.getProperty("BOX_PORT") : ready.getProperty("MTLS_PORT");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncoded(form)));
        if (connection.equals("box-port-forged")) {
            String dn = "CN=b24bridge-appliance,O=b24bridge test";
            request.header("B24bridge-Client-Verify", "SUCCESS").header("B24bridge-Client-Dn", dn)
                    .header("X-B24bridge-Client-Verify", "SUCCESS").header("X-B24bridge-Client-Dn", dn);
        }
        HttpClient client = clients.get(connection.equals("box-port-forged") ? "box-port" : connection);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException notJson) {
                body = JSON.createObjectNode().put("raw", response.body());
            }
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** As PHP's http_build_query: nested objects and lists as key[sub]=value, numbers and text as they are. */
    static String formEncoded(ObjectNode form) {
        StringJoiner out = new StringJoiner("&");
        form.properties().forEach(e -> append(out, e.getKey(), e.getValue()));
        return out.toString();
    }

    private static void append(StringJoiner out, String key, JsonNode value) {
        if (value.isObject()) {
            value.properties().forEach(e -> append(out, key + "[" + e.getKey() + "]", e.getValue()));
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                append(out, key + "[" + i + "]", value.get(i));
            }
        } else if (!value.isNull()) {
            out.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value.asText(), StandardCharsets.UTF_8));
        }
    }
}
