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
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.bitrix.FormParams;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The website callback on a box with internet: OnExternalCallBackStart POSTed by Bitrix's cloud queue through the
 * site's edge proxy. A callback form's event carries no user and no tokens, only the application token: a forged one
 * and a captured one replayed ring nobody.
 */
class CallbackOverTheCloudRealAsteriskTest extends CallbackRealAsteriskTest {

    @Override
    SpineRig startRig(Path dir, AsteriskPair pair, SiteClock clock) throws Exception {
        SpineRig rig = SpineRig.start(dir, pair, clock);
        // what bitrix24.application.events-url makes the appliance do after the install (Installs binds both)
        new CrmApi(rig.app.appliance().box().client()).bindEvent("OnExternalCallBackStart",
                rig.app.publicUri("/bitrix24/events"));
        return rig;
    }

    @Test
    void aForgedEventIsRefusedAndAReplayedOneRingsNobodyAgain(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.phone("102", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162100088", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        rig.emu.callback("+79162100088", "", null).await(Duration.ofSeconds(30));
        finished("+79162100088");
        long originated = facts().at("/originatedSinceStart").asLong();
        Map<String, Object> captured = rig.emu.deliveries().stream()
                .filter(d -> "ONEXTERNALCALLBACKSTART".equalsIgnoreCase(d.event())
                        && "+79162100088".equals(map(d.form().get("data")).get("PHONE_NUMBER")))
                .findFirst().orElseThrow().form();

        Map<String, Object> forged = new LinkedHashMap<>(captured);
        Map<String, Object> auth = new LinkedHashMap<>(map(captured.get("auth")));
        auth.put("application_token", "forged-" + auth.get("application_token"));
        forged.put("auth", auth);
        Map<String, Object> data = new LinkedHashMap<>(map(captured.get("data")));
        data.put("PHONE_NUMBER", "+79162100099");
        forged.put("data", data);
        assertTrue(post(forged) >= 400, "a forged application token is refused");
        int replay = post(captured);
        assertTrue(replay == 200 || replay >= 400, "a replay is recognised or refused: " + replay);

        Thread.sleep(3000); // what a forged or replayed event could have started has had time to ring
        assertEquals(originated, facts().at("/originatedSinceStart").asLong(), "no Originate for either");
        assertEquals(1, rig.calls(v -> "+79162100088".equals(v.phoneNumber())).size());
        assertTrue(rig.calls(v -> "+79162100099".equals(v.phoneNumber())).isEmpty());
        assertEquals(1L, Files.readString(pbx.worldLog()).lines()
                .filter(l -> l.contains("[79162100088@outside:1]")).count(), "the client rang once");
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
