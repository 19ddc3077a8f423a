package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whether a number finds a client is the CRM's match code, {@code NormalizePhone($v, 1)} of box 26.250
 * ({@code main/tools.php:4954-4992}) as {@code DuplicateCommunicationCriterion::normalizePhone} applies it
 * ({@code crm/lib/integrity/duplicatecommunicationcriterion.php:295-311}); yuliai/bitrix-modules@a3a2a579.
 */
class PhoneMatchingTest {

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
    }

    @Test
    void tools_php_4954_theMatchCode() {
        assertEquals("79161110101", PhoneNumbers.matchCode("+7 916 111-01-01"));
        assertEquals("79161110101", PhoneNumbers.matchCode("8 (916) 111-01-01"), "8 becomes 7 from 10 digits on");
        assertEquals("9161110101", PhoneNumbers.matchCode("916 111 01 01"), "no 7 added to 10 digits");
        assertEquals("4930123456", PhoneNumbers.matchCode("0049 30 123456"), "00 stripped");
        assertEquals("12025550100", PhoneNumbers.matchCode("011 1 202 555 0100"), "011 stripped");
        assertEquals("4951234567", PhoneNumbers.matchCode("04951234567"), "a leading 0 stripped");
        assertEquals("8123456789", PhoneNumbers.matchCode("8123456789"), "81… is kept as it is");
        assertEquals("861012345678", PhoneNumbers.matchCode("+86 10 1234 5678"), "+8… is an international 00 8…");
        assertEquals("79161110101", PhoneNumbers.matchCode("+79161110101;101"), "an extension is no part of it");
        assertEquals("101", PhoneNumbers.matchCode("101"), "short numbers as they are");
    }

    @Test
    void duplicatecommunicationcriterion_php_295_aTenDigitCallerIdDoesNotFindThePlusSevenContact() {
        box.emu.addContact("Sergey", "K", 2, null, "+7 916 200-00-01");

        JsonNode tenDigits = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "9162000001", "TYPE", 2)).result();
        JsonNode national = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "89162000001", "TYPE", 2)).result();
        JsonNode e164 = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "+79162000001", "TYPE", 2)).result();

        assertEquals("", tenDigits.path("CRM_ENTITY_TYPE").asText(), "a real box does not bind 916… to +7 916…");
        assertEquals("CONTACT", national.path("CRM_ENTITY_TYPE").asText());
        assertEquals("CONTACT", e164.path("CRM_ENTITY_TYPE").asText());
        assertTrue(box.call("telephony.externalCall.searchCrmEntities", params("PHONE_NUMBER", "9162000001"))
                .result().isEmpty(), "routing finds nobody for the 10-digit form");
    }

    @Test
    void duplicatecommunicationcriterion_php_295_aTenDigitCallerIdWithCrmCreateMakesADuplicateLead() {
        box.emu.addContact("Sergey", "K", 2, null, "+7 916 200-00-01");

        JsonNode r = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "9162000001", "TYPE", 2, "CRM_CREATE", 1)).result();

        assertEquals("LEAD", r.path("CRM_ENTITY_TYPE").asText(), "the client exists, yet a lead is made");
        assertEquals(1, box.emu.state().leads().size());
    }
}
