package io.b24bridge.click;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.health.RecentRefusals;
import io.b24bridge.pbx.OriginateRequest;
import io.b24bridge.pbx.OriginateResult;
import io.b24bridge.routing.CrmDirectory;
import io.b24bridge.settings.ClickToCall;
import io.b24bridge.settings.Exceptions;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a click from the box makes the PBX do, and what it refuses, before any real phone is involved. */
class ClickDialerTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path dir;
    Database db;
    final List<OriginateRequest> originated = new ArrayList<>();
    final Map<Integer, CrmDirectory.Person> users = new HashMap<>();
    boolean boxAway;
    Settings settings = Settings.defaults();
    ClickHealth health = new ClickHealth(Clock.fixed(NOW, ZoneOffset.UTC));
    ClickDialer dialer;
    long nextId = 1;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        users.put(2, new CrmDirectory.Person(2, "101", null, "OPENED"));
        users.put(1, new CrmDirectory.Person(1, null, "+79161110001", "OPENED"));
        CrmDirectory crm = new CrmDirectory() {
            @Override
            public Optional<Owner> ownerOf(String number, String mobileField) {
                return Optional.empty();
            }

            @Override
            public Optional<Person> person(int userId, String mobileField) throws Unavailable {
                if (boxAway) {
                    throw new Unavailable("connection refused", null);
                }
                return Optional.ofNullable(users.get(userId));
            }
        };
        dialer = new ClickDialer(() -> settings, crm, (pbx, r) -> {
            originated.add(r);
            return CompletableFuture.completedFuture(new OriginateResult(true, 4, "PJSIP/101-1", "1.1", "answered"));
        }, "pbx1", new ClickCalls(db), health, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aClickRingsTheUsersPhoneFirstAndCarriesTheBoxsCallId() throws Exception {
        dialer.onEvent(click("externalCall.abc.1", "2", "+7 (916) 111-22-33"));

        assertEquals(1, originated.size());
        OriginateRequest r = originated.getFirst();
        assertEquals("PJSIP/101", r.channel(), "the clicking user's inner number, by routing.extensionDial");
        assertEquals(ClickDialer.CLICK_CONTEXT, r.context());
        assertEquals("79161112233", r.exten(), "digits only");
        assertEquals(Optional.of("79161112233"), r.callerId(), "the operator sees the client's number");
        assertEquals(Duration.ofSeconds(30), r.ringTimeout(), "click-to-call.operatorRingTimeoutSeconds");
        assertEquals("externalCall.abc.1", r.variables().get("B24_CALL_ID"));
        assertEquals("from-internal", r.variables().get("B24_CONTEXT"));
        assertEquals("45", r.variables().get("B24_CLIENT_RING"));
        assertEquals("101", r.variables().get("B24_OPERATOR"));
        assertEquals(Optional.of(ClickCalls.State.RINGING_CLIENT), new ClickCalls(db).state("externalCall.abc.1"));
    }

    @Test
    void theSameCallIdTwiceRingsOnceEvenFromAnotherInboxRow() throws Exception {
        dialer.onEvent(click("externalCall.twice.1", "2", "+79161112233"));
        dialer.onEvent(click("externalCall.twice.1", "2", "+79161112233")); // a new inbox id: the other queue's copy

        assertEquals(1, originated.size());
        assertEquals(1L, health.check().facts().get("repeatsDroppedSinceStart"));
    }

    @Test
    void aUserWithoutAnInnerNumberIsRefusedWithATrace() throws Exception {
        dialer.onEvent(click("externalCall.admin.1", "1", "+79161112233"));

        assertEquals(List.of(), originated);
        assertEquals("DEGRADED", health.check().state().name());
        assertTrue(health.lastRefusals().getFirst().why().contains("no inner number"),
                health.lastRefusals().toString());
    }

    @Test
    void valuesThatWouldChangeADialStringOrAChannelVariableAreRefused() throws Exception {
        dialer.onEvent(click("externalCall.x.1", "2", "79161112233&PJSIP/999"));
        dialer.onEvent(click("externalCall.x.2", "2", "+7916ABC"));
        dialer.onEvent(click("externalCall.x.3,B24_CONTEXT=evil", "2", "+79161112233"));
        dialer.onEvent(click("externalCall.x.4", "2 OR 1", "+79161112233"));
        users.put(3, new CrmDirectory.Person(3, "102&PJSIP/999", null, "OPENED"));
        dialer.onEvent(click("externalCall.x.5", "3", "+79161112233"));

        assertEquals(List.of(), originated);
        assertEquals(5, health.lastRefusals().size(), health.lastRefusals().toString());
    }

    @Test
    void exceptionsAndTheSwitchAreHonoured() throws Exception {
        settings = with(Section.EXCEPTIONS, new Exceptions(List.of("+79160000000"), List.of("101")));
        dialer.onEvent(click("externalCall.e.1", "2", "+79160000000"));
        settings = with(Section.EXCEPTIONS, new Exceptions(List.of(), List.of("101")));
        dialer.onEvent(click("externalCall.e.2", "2", "+79161112233"));
        settings = with(Section.CLICK_TO_CALL, new ClickToCall(false, null, null, null, null));
        dialer.onEvent(click("externalCall.e.3", "2", "+79161112233"));

        assertEquals(List.of(), originated);
        List<String> why = health.lastRefusals().stream().map(RecentRefusals.Refusal::why).toList();
        assertTrue(why.get(0).contains("off in the settings") && why.get(1).contains("extension 101")
                && why.get(2).contains("in the exceptions"), why.toString());
    }

    @Test
    void aClickTooOldToRingForIsRefusedAndABoxAwayIsRetriedWhileItIsFresh() throws Exception {
        dialer.onEvent(new BoxEvent(nextId++, "module", BoxEvent.EXTERNAL_CALL_START, data("externalCall.old.1", "2",
                "+79161112233"), NOW.minusSeconds(120), 1));
        boxAway = true;
        assertThrows(IllegalStateException.class, () -> dialer.onEvent(click("externalCall.away.1", "2",
                "+79161112233")), "the inbox handles it again in a second");

        assertEquals(List.of(), originated);
        assertTrue(health.lastRefusals().getFirst().why().contains("too late"), health.lastRefusals().toString());
    }

    @Test
    void theOperatorSeesTheClientsCrmNameWithTheNumberWhenTheBoxSaysIt() throws Exception {
        ClickDialer named = new ClickDialer(() -> settings, (CrmDirectory) new CrmDirectory() {
            @Override
            public Optional<Owner> ownerOf(String number, String mobileField) {
                return Optional.empty();
            }

            @Override
            public Optional<Person> person(int userId, String mobileField) {
                return Optional.ofNullable(users.get(userId));
            }
        }, (pbx, r) -> {
            originated.add(r);
            return CompletableFuture.completedFuture(new OriginateResult(true, 4, "PJSIP/101-1", "1.1", "answered"));
        }, "pbx1", new ClickCalls(db), health, Clock.fixed(NOW, ZoneOffset.UTC),
                (type, id) -> type.equals("CONTACT") && id == 7 ? Optional.of("Sergey \"Kuz\" <Kuznetsov>")
                        : Optional.empty());
        Map<String, String> data = new HashMap<>(data("externalCall.name.1", "2", "+79161112233"));
        data.put("CRM_ENTITY_TYPE", "CONTACT");
        data.put("CRM_ENTITY_ID", "7");
        named.onEvent(new BoxEvent(nextId++, "cloud", BoxEvent.EXTERNAL_CALL_START, data, NOW, 1));
        named.onEvent(click("externalCall.name.2", "2", "+79161112244")); // no entity: the number alone

        assertEquals(Optional.of("\"Sergey Kuz Kuznetsov\" <79161112233>"), originated.get(0).callerId(),
                "quotes and brackets of a CRM name never reach the caller ID");
        assertEquals(Optional.of("79161112244"), originated.get(1).callerId());
    }

    private BoxEvent click(String callId, String userId, String phone) {
        return new BoxEvent(nextId++, "cloud", BoxEvent.EXTERNAL_CALL_START, data(callId, userId, phone), NOW, 1);
    }

    private static Map<String, String> data(String callId, String userId, String phone) {
        return Map.of("CALL_ID", callId, "USER_ID", userId, "PHONE_NUMBER", phone, "PHONE_NUMBER_INTERNATIONAL",
                phone, "CALL_LIST_ID", "0", "LINE_NUMBER", "", "IS_MOBILE", "0", "EXTENSION", "");
    }

    private Settings with(Section section, SectionValue value) {
        Map<Section, SectionValue> all = new EnumMap<>(settings.sections());
        all.put(section, value);
        return new Settings(settings.version() + 1, all);
    }
}
