package io.b24bridge.spine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Delivery;
import io.b24bridge.testkit.bitrix.Dispatch;
import io.b24bridge.testkit.bitrix.FormParams;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Click-to-call on a box with internet: OnExternalCallStart POSTed by Bitrix's cloud queue to the appliance through the
 * site's edge proxy. Here also what an attacker on that public URL can do: a forged event (the wrong application
 * token) and a captured event replayed ring nobody.
 */
class ClickToCallOverTheCloudRealAsteriskTest extends ClickToCallRealAsteriskTest {

    @Override
    SpineRig startRig(Path dir, AsteriskPair pair) throws Exception {
        return SpineRig.start(dir, pair);
    }

    @Test
    void aForgedEventIsRefusedAndAReplayedOneRingsNobodyAgain(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        pbx.outside("79162000088", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        Dispatch click = rig.emu.clickToCall(2, "+79162000088");
        CallView first = finished(click);
        assertEquals("200", first.statusCode());
        long originated = health().at("/parts/clickToCall/facts/originatedSinceStart").asLong();
        Map<String, Object> captured = rig.emu.deliveries().stream()
                .filter(d -> "ONEXTERNALCALLSTART".equalsIgnoreCase(d.event())
                        && click.callId().equals(data(d).get("CALL_ID"))).findFirst().orElseThrow().form();

        Map<String, Object> forged = new LinkedHashMap<>(captured);
        Map<String, Object> auth = new LinkedHashMap<>(map(captured.get("auth")));
        auth.put("application_token", "forged-" + auth.get("application_token"));
        forged.put("auth", auth);
        Map<String, Object> data = new LinkedHashMap<>(map(captured.get("data")));
        data.put("CALL_ID", "externalCall.forged.1");
        forged.put("data", data);
        assertTrue(post(forged) >= 400, "a forged application token is refused");
        int replay = post(captured);
        assertTrue(replay == 200 || replay >= 400, "a replay is recognised or refused: " + replay);

        Thread.sleep(3000); // what a forged or replayed event could have started has had time to ring
        assertEquals(originated, health().at("/parts/clickToCall/facts/originatedSinceStart").asLong(),
                "no Originate for either");
        assertEquals(1, rig.calls(v -> "+79162000088".equals(v.phoneNumber())).size());
        assertEquals(1L, Files.readString(pbx.worldLog()).lines()
                .filter(l -> l.contains("[79162000088@outside:1]")).count(), "the client rang once");
        assertFalse(rig.calls(v -> v.callId().equals("externalCall.forged.1")).iterator().hasNext());
    }

    private int post(Map<String, Object> form) throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestTls.context(pki.trustStore(), null, pki.password())).build();
        return client.send(HttpRequest.newBuilder(URI.create(rig.app.publicUri("/bitrix24/events")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(FormParams.encode(form)))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static Map<String, Object> data(Delivery d) {
        return map(d.form().get("data"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
