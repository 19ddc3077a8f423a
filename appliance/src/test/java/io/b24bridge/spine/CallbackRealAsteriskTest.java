package io.b24bridge.spine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.json.Json;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Task;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The website callback on real parts: a visitor fills in a callback form; the box sends OnExternalCallBackStart by one
 * of its two paths ({@link CallbackOverTheModuleRealAsteriskTest}: the b24bridge module's queue, pulled;
 * {@link CallbackOverTheCloudRealAsteriskTest}: Bitrix's cloud queue POSTing through the site's edge proxy). Inside
 * working hours the appliance registers the callback in the CRM (TYPE 4, bound to the form's entity), rings the
 * entity's responsible — or the support queue when they have no phone — on the real Asterisk, and once an operator
 * answers, the client; outside them it sets a task for the first working hour. The site's clock is set by the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CallbackRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    static final Duration CALL = Duration.ofSeconds(60);
    /** A Wednesday, 11:00 in Moscow: inside the working hours below. */
    static final Instant WEDNESDAY_11_MSK = Instant.parse("2026-12-02T08:00:00Z");
    /** A Saturday, 12:00 in Moscow. */
    static final Instant SATURDAY_NOON_MSK = Instant.parse("2026-12-05T09:00:00Z");

    final SiteClock clock = new SiteClock();
    Path dir;
    SpineRig rig;

    /** The box, its event path and the appliance (on {@link #clock}), started. */
    abstract SpineRig startRig(Path dir, AsteriskPair pair, SiteClock clock) throws Exception;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        rig = startRig(dir, ASTERISK.pair(), clock);
        rig.settings("click-to-call", """
                {"enabled": true, "originateContext": "from-phones", "clientRingTimeoutSeconds": 6}""");
        rig.settings("callback", """
                {"enabled": true, "firstCall": "RESPONSIBLE", "target": {"type": "QUEUE", "value": "support"},
                 "retries": 1, "retryIntervalSeconds": 10, "operatorRingTimeoutSeconds": 6,
                 "callerId": "\\"Our company\\" <74951234567>", "fallbackUserId": 1,
                 "workingHours": {"start": "09:00", "end": "18:00",
                                  "days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
                                  "timeZone": "Europe/Moscow", "holidays": ["2026-12-07"]}}""");
    }

    @BeforeEach
    void aWorkingDay() {
        clock.set(WEDNESDAY_11_MSK);
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void insideWorkingHoursTheResponsibleAnswersThenTheClientOneCallbackBoundToTheEntity(AsteriskPair pbx)
            throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162000001", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        rig.emu.callback("+7 916 200-00-01", "Please call about the order", null); // Sergey Kuznetsov, Ivan's client

        CallView c = finished("+79162000001");
        assertEquals(List.of(c), rig.calls(v -> "+79162000001".equals(v.phoneNumber())), "one call in the CRM");
        assertEquals(4, c.type(), "a callback");
        assertEquals("CONTACT", c.crmEntityType(), "bound to the form's entity");
        assertEquals("200", c.statusCode());
        assertEquals(2, c.finishUserId(), "Ivan, the contact's responsible, talked");
        assertTrue(c.duration() >= 2 && c.duration() <= 4, "talk time, not ring time: " + c.duration());
        assertEquals(1, c.registerCount());
    }

    @Test
    void aLeadWhoseResponsibleHasNoPhoneGoesToTheQueueWhoeverAnswersTalks(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.neverAnswers());
        pbx.phone("102", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162100022", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        rig.emu.callback("+79162100022", "", null); // a new lead on the administrator, who has no inner number

        CallView c = finished("+79162100022");
        assertEquals(4, c.type());
        assertEquals("LEAD", c.crmEntityType());
        assertEquals("200", c.statusCode());
        assertEquals(3, c.finishUserId(), "Maria on 102 took it from the queue");
        assertTrue(c.duration() >= 2 && c.duration() <= 4, "talk time: " + c.duration());
    }

    @Test
    void outsideWorkingHoursATaskForTheFirstWorkingHourAndNothingRings(AsteriskPair pbx) throws Exception {
        clock.set(SATURDAY_NOON_MSK);
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162100033", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        long originated = facts().at("/originatedSinceStart").asLong();
        rig.emu.callback("+79162100033", "After the weekend, please", null);

        SpineRig.await(CALL, () -> task("+79162100033") != null, "a task for the callback");
        Task t = task("+79162100033");
        assertEquals(1, t.responsibleId(), "the lead's responsible");
        assertEquals(Instant.parse("2026-12-08T07:00:00Z"), Instant.parse(t.deadline()),
                "within the first working hour: Monday the 7th is a holiday, so Tuesday 09:00-10:00 in Moscow");
        assertTrue(t.crmBindings().getFirst().startsWith("L_"), "bound to the form's lead: " + t.crmBindings());
        assertTrue(t.description().contains("After the weekend, please"), t.description());
        assertEquals(originated, facts().at("/originatedSinceStart").asLong(), "no Originate");
        assertTrue(rig.calls(v -> "+79162100033".equals(v.phoneNumber())).isEmpty(), "no call in the CRM");
        assertFalse(Files.readString(pbx.worldLog()).contains("[79162100033@outside"), "nothing rang the client");
    }

    @Test
    void nobodyAnswersItIsTriedAgainThenAMissedCallbackInTheCrm(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.neverAnswers());
        pbx.phone("102", PhoneBehaviour.neverAnswers());
        pbx.outside("79162100044", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        rig.emu.callback("+79162100044", "", null);

        CallView c = finished("+79162100044");
        assertEquals(4, c.type());
        assertEquals("304", c.statusCode(), "a missed callback");
        assertEquals(0, c.duration());
        assertEquals(2, stored("+79162100044", "ATTEMPTS"), "the first attempt and callback.retries (1) more");
        assertEquals("MISSED", storedText("+79162100044", "STATE"));
        assertFalse(Files.readString(pbx.worldLog()).contains("[79162100044@outside"), "the client never rang");
    }

    @Test
    void theSameFormDeliveredTwiceIsOneCallback(AsteriskPair pbx) throws Exception {
        pbx.phone("102", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("89032000002", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        long repeats = facts().at("/repeatsDroppedSinceStart").asLong();
        rig.emu.callback("8 (903) 200-00-02", "", null); // Anna Morozova, Maria's client
        rig.emu.clock().advance(Duration.ofSeconds(2)); // a later copy (an identical POST is one inbox row anyway)
        rig.emu.callback("8 (903) 200-00-02", "", null); // the box sends it again

        SpineRig.await(CALL, () -> facts().at("/repeatsDroppedSinceStart").asLong() == repeats + 1,
                "the second delivery recognised as the same form");
        SpineRig.await(CALL, () -> rig.calls(v -> v.type() == 4 && v.crmEntityType() != null
                && v.phoneNumber().endsWith("9032000002") && v.finished()).size() == 1, "the callback's call finished");
        assertEquals(1, rig.calls(v -> v.type() == 4 && v.phoneNumber().endsWith("9032000002")).size(),
                "one call in the CRM");
    }

    /** The callback's call to {@code number}, once the appliance finished it in the box. */
    CallView finished(String number) throws InterruptedException {
        SpineRig.await(CALL, () -> rig.calls(v -> number.equals(v.phoneNumber()) && v.finished()).size() == 1,
                "the callback's call to be finished");
        return rig.calls(v -> number.equals(v.phoneNumber())).getFirst();
    }

    Task task(String number) {
        return rig.emu.state().tasks().stream().filter(t -> t.title().contains(number)).findFirst().orElse(null);
    }

    int stored(String number, String column) throws Exception {
        return Integer.parseInt(storedText(number, column));
    }

    String storedText(String number, String column) {
        return rig.app.appliance().db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM CALLBACKS WHERE PHONE = ?")) {
                ps.setString(1, number);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    JsonNode facts() {
        return health().at("/parts/callbacks/facts");
    }

    JsonNode health() {
        try {
            return Json.newMapper().readTree(rig.app.get("/health").body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
