package io.b24bridge.bitrix;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a holder of a box-side certificate can throw at {@code /bitrix24/events}, from the review's probes: forms no
 * box sends (P7, F15) and an event played again (P8, F15). Over the real mutual-TLS listener.
 */
class BoxEventsAbuseTest {

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

    /** Probe P7: each answered 500 with a stack trace before. */
    @Test
    void malformedFormsAre400AndInstallNothing() throws Exception {
        assertEquals(400, post("event=%zz").statusCode());
        assertEquals(400, post("auth=1&auth[application_token]=x&event=ONEXTERNALCALLSTART").statusCode());
        assertEquals(400, post("event=ONAPPINSTALL&auth[access_token]=a&auth[refresh_token]=b"
                + "&auth[application_token]=c&auth[expires]=99999999999999999999999").statusCode());
        assertTrue(app.appliance().box().client().tokens().isEmpty(), "nothing was installed");
        assertEquals(400, post("event=ONEXTERNALCALLSTART%0D%0AINJECTED").statusCode(), "not an event name");
    }

    /** Probe P8: the same event twice, and one stamped in 2017, were both taken before. */
    @Test
    void anEventPlayedAgainOrStaleIsRefused() throws Exception {
        app.appliance().box().client().installed(BoxClientFixtures.tokens("APP-TOKEN"));
        String body = "event=ONEXTERNALCALLSTART&data[CALL_ID]=externalCall.1&data[USER_ID]=2"
                + "&data[PHONE_NUMBER]=79162000001&ts=" + Instant.now().getEpochSecond()
                + "&auth[application_token]=APP-TOKEN";
        assertEquals(200, post(body).statusCode());
        HttpResponse<String> again = post(body);
        assertEquals(409, again.statusCode(), again.body());

        HttpResponse<String> stale = post("event=ONEXTERNALCALLSTART&data[CALL_ID]=externalCall.2&data[USER_ID]=2"
                + "&data[PHONE_NUMBER]=79162000001&ts=1500000000&auth[application_token]=APP-TOKEN");
        assertEquals(409, stale.statusCode(), stale.body());
    }
}
