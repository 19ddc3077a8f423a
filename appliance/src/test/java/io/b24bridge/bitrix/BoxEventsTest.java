package io.b24bridge.bitrix;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;
import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.bitrix.events.InboxHandler;
import io.b24bridge.config.Secret;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events the box POSTs to the box listener (contract §3): after the install (InstallEventTest), events are accepted
 * only with the application token it set. Over the real mutual-TLS listener.
 */
class BoxEventsTest {

    @TempDir
    Path dir;
    BoxListenerRig rig;
    TestAppliance app;

    @BeforeEach
    void start() {
        rig = BoxListenerRig.start(dir);
        app = rig.app();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private HttpResponse<String> post(String form) throws Exception {
        return rig.post(form);
    }

    /**
     * The listener stops reading an oversized body at its limit, answers 413 and closes the connection; while the
     * client is still writing, the close can reach it before the answer does (HTTP/1.1 gives no way to wait for
     * it), so a cut-off connection is the same refusal. Either way nothing may be stored.
     */
    private void assertOversizedIsCutOff(String form) throws Exception {
        try {
            assertEquals(413, post(form).statusCode(), "oversized");
        } catch (IOException cutOff) {
            // refused before the answer could be read: the store is checked by the caller
        }
    }

    /** The application as its install left it (the install event itself: InstallEventTest). */
    private void install() {
        app.appliance().box().client().installed(new Tokens(Secret.of("AT1"), Secret.of("RT1"),
                Instant.now().plusSeconds(3600), Secret.of("APP-TOKEN-1"), "m1", "crm.corp.local",
                "https://oauth.bitrix.info/rest/", "https://crm.corp.local/rest/", "install"));
    }

    /** The box's send time of this test's click: a repeat of the event carries the same ts (read once, so a
     *  second boundary between two posts cannot make the repeat a different event). */
    private final long sentAt = Instant.now().getEpochSecond();

    private String callStart(String applicationToken, String accessToken) {
        return "event=ONEXTERNALCALLSTART&event_handler_id=7&data%5BPHONE_NUMBER%5D=%2B79161112233"
                + "&data%5BPHONE_NUMBER_INTERNATIONAL%5D=%2B79161112233&data%5BEXTENSION%5D=101&data%5BUSER_ID%5D=5"
                + "&data%5BCALL_LIST_ID%5D=0&data%5BLINE_NUMBER%5D=74951234567&data%5BIS_MOBILE%5D=0"
                + "&data%5BCALL_ID%5D=externalCall.x.1&data%5BCRM_ENTITY_TYPE%5D=CONTACT&data%5BCRM_ENTITY_ID%5D=3"
                + "&ts=" + sentAt + "&auth%5Baccess_token%5D=" + accessToken + "&auth%5Bexpires_in%5D=7200"
                + "&auth%5Bdomain%5D=crm.corp.local&auth%5Bmember_id%5D=m1&auth%5Brefresh_token%5D=RT2"
                + "&auth%5Bapplication_token%5D=" + applicationToken;
    }

    @Test
    void anEventWithTheRightApplicationTokenReachesListenersAndItsTokensReplaceNothing() throws Exception {
        install();
        List<BoxEvent> seen = new CopyOnWriteArrayList<>();
        events().addListener(seen::add);

        HttpResponse<String> res = post(callStart("APP-TOKEN-1", "AT2"));
        assertEquals(200, res.statusCode(), res.body());
        await("the event handled from the inbox").atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        assertEquals(BoxEvent.EXTERNAL_CALL_START, seen.getFirst().name());
        assertEquals("101", seen.getFirst().data().get("EXTENSION"));
        assertEquals("externalCall.x.1", seen.getFirst().data().get("CALL_ID"));
        assertEquals("AT1", app.appliance().box().client().tokens().orElseThrow().accessToken().revealString(),
                "the clicking user's token (user 5) does not replace the application's own");
    }

    @Test
    void anEventWithAWrongOrMissingApplicationTokenIsRefused() throws Exception {
        install();
        List<BoxEvent> seen = new CopyOnWriteArrayList<>();
        events().addListener(seen::add);
        assertEquals(401, post(callStart("FORGED", "AT9")).statusCode());
        assertEquals(401, post(callStart("FORGED", "AT9")).statusCode(), "a refused event is not remembered as taken");
        assertEquals(401, post(callStart("", "AT9")).statusCode());
        assertTrue(seen.isEmpty());
        assertEquals("AT1", app.appliance().box().client().tokens().orElseThrow().accessToken().revealString(),
                "a refused event's tokens are not taken");
    }

    @Test
    void beforeTheInstallNoEventIsAccepted() throws Exception {
        assertEquals(401, post(callStart("APP-TOKEN-1", "AT2")).statusCode());
    }

    @Test
    void tokensSurviveARestartEncrypted() throws Exception {
        install();
        app.close();
        app = TestAppliance.start(dir, TestAppliance.bitrix24Section("https://127.0.0.1:9"));
        assertEquals("AT1", app.appliance().box().client().tokens().orElseThrow().accessToken().revealString());
        // what the database holds is ciphertext
        try (var c = app.appliance().db().connection();
             var rs = c.createStatement().executeQuery("SELECT ACCESS_TOKEN, REFRESH_TOKEN FROM BITRIX_AUTH")) {
            assertTrue(rs.next());
            assertTrue(!rs.getString(1).contains("AT1") && !rs.getString(2).contains("RT1"));
        }
    }

    /** Rows in the inbox (BOX_EVENTS). */
    private int stored() throws Exception {
        try (var c = app.appliance().db().connection();
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM BOX_EVENTS")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** An install as Bitrix's cloud queue would POST it; nobody armed installation in these tests. */
    private static final String INSTALL = "event=ONAPPINSTALL&data%5BVERSION%5D=1&data%5BLANGUAGE_ID%5D=ru"
            + "&ts=" + Instant.now().getEpochSecond() + "&auth%5Baccess_token%5D=AT7&auth%5Bexpires_in%5D=3600"
            + "&auth%5Bdomain%5D=crm.corp.local&auth%5Bmember_id%5D=m1&auth%5Brefresh_token%5D=RT7"
            + "&auth%5Bapplication_token%5D=APP-TOKEN-7";

    @Test
    void anEventIsStoredBeforeItIsAnsweredAndARepeatOfItIsRefusedAndStoredOnce() throws Exception {
        install();
        assertEquals(0, stored());
        assertEquals(200, post(callStart("APP-TOKEN-1", "AT2")).statusCode());
        assertEquals(1, stored(), "stored before the 200 left");
        assertEquals(409, post(callStart("APP-TOKEN-1", "AT3")).statusCode(),
                "the same event again (other tokens, same ts and data) is a replay");
        assertEquals(1, stored(), "the repeat is not stored");
        try (var c = app.appliance().db().connection();
             var rs = c.createStatement().executeQuery("SELECT PAYLOAD, SECRETS FROM BOX_EVENTS WHERE EVENT = "
                     + "'ONEXTERNALCALLSTART'")) {
            rs.next();
            assertTrue(!rs.getString(1).contains("AT2") && !rs.getString(1).contains("APP-TOKEN-1"),
                    "no token of a clicking user, nor the application token, is kept: " + rs.getString(1));
            assertEquals(null, rs.getString(2));
        }
    }

    @Test
    void refusedEventsChangeNothing() throws Exception {
        install();
        assertEquals(401, post(callStart("FORGED", "AT9")).statusCode(), "a forged application token");
        assertEquals(400, post("event=ON%20EXTERNAL%3Bdrop&auth%5Bapplication_token%5D=APP-TOKEN-1").statusCode(),
                "not an event's name");
        assertOversizedIsCutOff(callStart("APP-TOKEN-1", "AT2") + "&data%5BPAD%5D=" + "x".repeat(300 * 1024));
        assertEquals(403, post(INSTALL).statusCode(), "an install nobody armed");
        assertEquals(0, stored(), "nothing refused is stored");
        assertEquals("AT1", app.appliance().box().client().tokens().orElseThrow().accessToken().revealString());
    }

    @Test
    void withoutTheClientCertificateNothingGetsIn() throws Exception {
        install();
        HttpClient anonymous = HttpClient.newBuilder()
                .sslContext(TestTls.context(app.pki().trustStore(), null, app.pki().password())).build();
        assertThrows(IOException.class, () -> anonymous.send(HttpRequest.newBuilder(app.boxUri("/bitrix24/events"))
                .POST(HttpRequest.BodyPublishers.ofString(callStart("APP-TOKEN-1", "AT2")))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals(0, stored());
    }

    private InboxHandler events() {
        return app.appliance().box().events();
    }
}
