package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * §5.3: a register repeated within 30 minutes with the same PHONE_NUMBER, TYPE, user, LINE_NUMBER and
 * EXTERNAL_CALL_ID returns the same CALL_ID — the outbox's idempotency for register — and any difference in
 * those keys, an elapsed window or a finished call gives a new call.
 */
class ReRegistrationTest {

    @TempDir
    static Path dir;
    static TestBox box;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir, b -> b.mode(Mode.OLDER));
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @BeforeEach
    void fresh() {
        box.emu.reset();
        box.emu.settings().mode(Mode.OLDER);
        box.tokens = box.emu.issueTokens(1);
        box.emu.addUser(User.of(2, "Ivan", "101", null));
        box.emu.addUser(User.of(3, "Maria", "102", null));
    }

    private String register(Object... p) {
        return box.register(2, "+79161234567", p);
    }

    @Test
    void aRetriedRegisterWithTheSameExternalCallIdReturnsTheSameCallId() {
        String first = register("LINE_NUMBER", "74951234567", "EXTERNAL_CALL_ID", "pbx1-1700000000.1");
        box.emu.clock().advance(Duration.ofMinutes(29));

        String again = register("LINE_NUMBER", "74951234567", "EXTERNAL_CALL_ID", "pbx1-1700000000.1",
                "CRM_CREATE", 1, "CALL_START_DATE", "2026-03-07T10:20:30+03:00");

        assertEquals(first, again, "CRM fields and the start time are not keys");
        assertEquals(1, box.emu.state().calls().size());
        assertEquals(2, box.emu.state().call(first).orElseThrow().registerCount());
    }

    @Test
    void theSameNumberWithAnotherExternalCallIdIsANewCall() {
        String first = register("EXTERNAL_CALL_ID", "pbx1-1700000000.1");
        String second = register("EXTERNAL_CALL_ID", "pbx1-1700000050.7");
        assertNotEquals(first, second);
        assertEquals(2, box.emu.state().calls().size());
    }

    @Test
    void withoutExternalCallIdTwoCallsFromOneClientWithinTheWindowMerge() {
        // the consequence the contract warns about: pass a unique EXTERNAL_CALL_ID per physical call
        assertEquals(register(), register());
    }

    @Test
    void aDifferentLineTypeOrUserIsANewCall() {
        String base = register("LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x");
        assertNotEquals(base, register("LINE_NUMBER", "2", "EXTERNAL_CALL_ID", "x"));
        assertNotEquals(base, register("LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x", "TYPE", 3));
        assertNotEquals(base, box.register(3, "+79161234567", "LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x"));
        assertEquals(base, register("LINE_NUMBER", "1", "EXTERNAL_CALL_ID", "x"));
    }

    @Test
    void theNumberIsComparedNormalised() {
        String first = register("EXTERNAL_CALL_ID", "x");
        assertEquals(first, box.register(2, "8 (916) 123-45-67", "EXTERNAL_CALL_ID", "x"));
    }

    @Test
    void afterThirtyMinutesTheSameKeysMakeANewCall() {
        String first = register("EXTERNAL_CALL_ID", "x");
        box.emu.clock().advance(Duration.ofMinutes(31));
        assertNotEquals(first, register("EXTERNAL_CALL_ID", "x"));
    }

    @Test
    void aFinishedCallIsNeverReturnedAgain() {
        String first = register("EXTERNAL_CALL_ID", "x");
        assertEquals(200, box.finish(first, 2, 10).status());
        assertNotEquals(first, register("EXTERNAL_CALL_ID", "x"));
    }

    @Test
    void reRegistrationIsPerApplication() {
        String viaApp = register("EXTERNAL_CALL_ID", "x");
        String secret = "hook" + System.nanoTime();
        box.emu.addWebhook(2, secret, java.util.Set.of());

        TestBox.Answer viaWebhook = box.webhook(2, secret, "telephony.externalcall.register",
                params("USER_ID", 2, "PHONE_NUMBER", "+79161234567", "TYPE", 2, "EXTERNAL_CALL_ID", "x"));

        assertEquals(200, viaWebhook.status(), viaWebhook.toString());
        assertNotEquals(viaApp, viaWebhook.result().path("CALL_ID").asText());
    }
}
