package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Re-registration as box 26.250 does it, {@code voximplant/lib/rest/helper.php:200-218} (the duplicate filter)
 * and {@code :261} ({@code DATE_CREATE := CALL_START_DATE}), yuliai/bitrix-modules@a3a2a579: a register finds an
 * open call of the same application, user, CALLER_ID (exact, after stripLetters) and TYPE whose CALL_START_DATE is
 * within the last 30 minutes; LINE_NUMBER and EXTERNAL_CALL_ID narrow the search only when given.
 */
class ReRegistrationTest {

    @TempDir
    static Path dir;
    static TestBox box;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir);
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @BeforeEach
    void fresh() {
        box.emu.reset();
        box.tokens = box.emu.issueTokens(1);
        box.emu.addUser(User.of(2, "Ivan", "101", null));
        box.emu.addUser(User.of(3, "Maria", "102", null));
    }

    private String register(Object... p) {
        return box.register(2, "+79161234567", p);
    }

    @Test
    void helper_php_205_aRetryWithinThirtyMinutesOfTheCallsStartReturnsTheSameCallId() {
        String start = box.isoNow(Duration.ZERO);
        String first = register("LINE_NUMBER", "74951234567", "EXTERNAL_CALL_ID", "pbx1:1.1", "CALL_START_DATE", start);
        box.emu.clock().advance(Duration.ofMinutes(29));

        String again = register("LINE_NUMBER", "74951234567", "EXTERNAL_CALL_ID", "pbx1:1.1", "CALL_START_DATE", start,
                "CRM_CREATE", 1);

        assertEquals(first, again, "CRM fields are not keys");
        assertEquals(1, box.emu.state().calls().size());
        assertEquals(2, box.emu.state().call(first).orElseThrow().registerCount());
    }

    @Test
    void helper_php_261_theWindowCountsFromCallStartDateNotFromTheFirstRegister() {
        // a call that started 20 minutes ago, registered only now (the box was away), retried 11 minutes later
        String start = box.isoNow(Duration.ofMinutes(-20));
        String first = register("EXTERNAL_CALL_ID", "pbx1:2.1", "CALL_START_DATE", start);
        box.emu.clock().advance(Duration.ofMinutes(11));

        String retried = register("EXTERNAL_CALL_ID", "pbx1:2.1", "CALL_START_DATE", start);

        assertNotEquals(first, retried, "31 minutes after CALL_START_DATE the same EXTERNAL_CALL_ID is a second call");
        assertEquals(2, box.emu.state().calls().size());
    }

    @Test
    void helper_php_261_withoutCallStartDateTheRegisterItselfIsTheStart() {
        String first = register("EXTERNAL_CALL_ID", "x");
        box.emu.clock().advance(Duration.ofMinutes(29));
        assertEquals(first, register("EXTERNAL_CALL_ID", "x"));
        box.emu.clock().advance(Duration.ofMinutes(2));
        assertNotEquals(first, register("EXTERNAL_CALL_ID", "x"));
    }

    @Test
    void helper_php_212_anAbsentExternalCallIdOrLineMatchesAnyOpenCall() {
        String first = register("LINE_NUMBER", "74951234567", "EXTERNAL_CALL_ID", "pbx1:3.1");

        assertEquals(first, register(), "neither given: the open call from the number is found");
        assertEquals(first, register("EXTERNAL_CALL_ID", "pbx1:3.1"), "no LINE_NUMBER: any line");
        assertEquals(first, register("LINE_NUMBER", "74951234567"), "no EXTERNAL_CALL_ID: any id");
    }

    @Test
    void helper_php_200_aDifferentExternalCallIdLineTypeOrUserIsANewCall() {
        String base = register("LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x");
        assertNotEquals(base, register("LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "y"));
        assertNotEquals(base, register("LINE_NUMBER", "2", "EXTERNAL_CALL_ID", "x"));
        assertNotEquals(base, register("LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x", "TYPE", 3));
        assertNotEquals(base, box.register(3, "+79161234567", "LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x"));
        assertEquals(base, register("LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x"));
    }

    @Test
    void helper_php_89_theNumberIsComparedAsGivenAfterStripLettersOnly() {
        String first = register("EXTERNAL_CALL_ID", "x");
        assertEquals(first, box.register(2, "+7 (916) 123-45-67", "EXTERNAL_CALL_ID", "x"), "spaces and brackets go");
        assertNotEquals(first, box.register(2, "8 (916) 123-45-67", "EXTERNAL_CALL_ID", "x"),
                "8916… is another CALLER_ID than +7916…: a second call");
    }

    @Test
    void helper_php_648_aFinishedCallIsNeverReturnedAgain() {
        String first = register("EXTERNAL_CALL_ID", "x");
        assertEquals(200, box.finish(first, 2, 10).status());
        assertNotEquals(first, register("EXTERNAL_CALL_ID", "x"));
    }

    @Test
    void vi_rest_php_1641_everyWebhookSharesOneRestAppIdTheApplicationHasItsOwn() {
        String viaApp = register("EXTERNAL_CALL_ID", "x");
        box.emu.addWebhook(2, "hookone", Set.of());
        box.emu.addWebhook(3, "hooktwo", Set.of());
        var reg = params("USER_ID", 2, "PHONE_NUMBER", "+79161234567", "TYPE", 2, "EXTERNAL_CALL_ID", "x");

        TestBox.Answer one = box.webhook(2, "hookone", "telephony.externalcall.register", reg);
        TestBox.Answer two = box.webhook(3, "hooktwo", "telephony.externalcall.register", reg);

        assertEquals(200, one.status(), one.toString());
        assertNotEquals(viaApp, one.result().path("CALL_ID").asText());
        assertEquals(one.result().path("CALL_ID").asText(), two.result().path("CALL_ID").asText(),
                "REST_APP_ID is null for every webhook: another webhook finds the call");
    }
}
