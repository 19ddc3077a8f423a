package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.ConnectorModule;

/**
 * The box emulator's {@code with-module} deployment as a {@link ModuleBox}: the same contract fixtures the PHP module
 * plays, played against the Java twin. One HTTPS port stands for both of a box's: the {@code appliance} and
 * {@code other-certificate} connections present a client certificate, {@code box-port} none (the module refuses its
 * own requests without the appliance's), and {@code box-port-forged} adds the identity headers nginx would never
 * pass on — the emulator reads the subject from its TLS layer only, so they change nothing.
 */
public final class EmulatedModuleBox implements ModuleBox {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BoxEmulator emu;
    private final Map<String, HttpClient> clients;

    /**
     * @param emu        a started emulator built with {@code deployment(WITH_MODULE)}, HTTPS and {@code seedDemo(true)}
     *                   (users 2 and 3, whose mobiles the fixtures click: an employee's number makes no lead)
     * @param appliance  TLS presenting the appliance's client certificate (the subject the module's options name)
     * @param other      TLS presenting another certificate of the same CA
     * @param none       TLS presenting no certificate
     */
    public EmulatedModuleBox(BoxEmulator emu, SSLContext appliance, SSLContext other, SSLContext none) {
        this.emu = emu;
        this.clients = Map.of("appliance", client(appliance), "other-certificate", client(other),
                "box-port", client(none));
    }

    @Override
    public ObjectNode reset() {
        emu.reset();
        ConnectorModule module = emu.module();
        String host = URI.create(emu.baseUrl()).getAuthority();
        return JSON.createObjectNode()
                .put("clientId", ConnectorModule.CLIENT_ID)
                .put("credential", module.credential())
                .put("applicationToken", module.applicationToken())
                .put("host", host)
                .put("boxHost", host);
    }

    @Override
    public Answer token(ObjectNode form, String connection) {
        return post(connection, ConnectorModule.TOKEN_PATH, form);
    }

    @Override
    public Answer rest(String method, ObjectNode params, String connection) {
        return post(connection, "/rest/" + method, params);
    }

    @Override
    public void box(ObjectNode action) {
        switch (action.path("box").asText()) {
            case "click" -> emu.clickToCall(action.path("user").asInt(), action.path("number").asText());
            case "callbackForm" -> emu.callbackWithoutEntity(action.path("number").asText(),
                    action.path("text").asText(""));
            case "arm" -> emu.module().arm();
            case "disarm" -> emu.module().disarm();
            default -> throw new IllegalArgumentException("unknown box action " + action);
        }
    }

    private Answer post(String connection, String path, ObjectNode form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emu.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(ServedModuleBox.formEncoded(form)));
        if (connection.equals("box-port-forged")) {
            String dn = emu.module().applianceDn();
            request.header("B24bridge-Client-Verify", "SUCCESS").header("B24bridge-Client-Dn", dn)
                    .header("X-B24bridge-Client-Verify", "SUCCESS").header("X-B24bridge-Client-Dn", dn);
        }
        HttpClient client = clients.get(connection.equals("box-port-forged") ? "box-port" : connection);
        if (client == null) {
            throw new IllegalArgumentException("unknown connection " + connection);
        }
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

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
