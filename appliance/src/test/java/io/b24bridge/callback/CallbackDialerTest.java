package io.b24bridge.callback;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.pbx.OriginateRequest;
import io.b24bridge.pbx.OriginateResult;
import io.b24bridge.routing.CrmDirectory;
import io.b24bridge.settings.Callback;
import io.b24bridge.settings.Problems;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.Target;
import io.b24bridge.settings.WorkingHours;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a website callback form makes the appliance do, and what it refuses, before any real phone is involved. */
class CallbackDialerTest {

    /** A Wednesday, 11:00 in Moscow. */
    static final Instant WEDNESDAY = Instant.parse("2026-12-02T08:00:00Z");
    static final WorkingHours HOURS = new WorkingHours("09:00", "18:00", null, "Europe/Moscow", List.of());

    @TempDir
    Path dir;
    Database db;
    Instant now = WEDNESDAY;
    final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final List<OriginateRequest> originated = new ArrayList<>();
    final List<String> registered = new ArrayList<>();
    final List<String> missed = new ArrayList<>();
    final List<String> tasks = new ArrayList<>();
    final Map<Integer, CrmDirectory.Person> users = new HashMap<>();
    boolean operatorAnswers = true;
    Settings settings;
    CallbackHealth health;
    CallbackAttempts attempts;
    CallbackDialer dialer;
    long nextInboxId = 1;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        users.put(2, new CrmDirectory.Person(2, "101", null, "OPENED"));
        users.put(1, new CrmDirectory.Person(1, null, null, "OPENED"));
        settings = with(new Callback(true, new Target(Target.Type.QUEUE, "support"), 0, 60, null, 20,
                Callback.FirstCall.RESPONSIBLE, 1, HOURS));
        CrmDirectory directory = new CrmDirectory() {
            @Override
            public Optional<Owner> ownerOf(String number, String mobileField) {
                return Optional.empty();
            }

            @Override
            public Optional<Person> person(int userId, String mobileField) {
                return Optional.ofNullable(users.get(userId));
            }
        };
        CallbackCrm crm = new CallbackCrm() {
            @Override
            public Optional<Entity> entity(String type, int id) {
                return id == 7 ? Optional.of(new Entity(type, id, "Sergey Kuznetsov", 2))
                        : Optional.of(new Entity(type, id, "Website request", null));
            }

            @Override
            public String register(int userId, CallbackRequest r, String externalCallId, Instant startedAt) {
                registered.add(userId + " " + r.crmNumber() + " " + r.entityType() + ":" + r.entityId());
                return "externalCall.cb." + registered.size();
            }

            @Override
            public void finishMissed(String callId, int userId, String why) {
                missed.add(callId + " " + userId);
            }

            @Override
            public Integer addTask(String title, String description, int responsibleId, Instant deadline,
                                   List<String> bindings) {
                tasks.add(responsibleId + " " + deadline + " " + bindings + " " + title);
                return tasks.size();
            }
        };
        Callbacks store = new Callbacks(db);
        health = new CallbackHealth(clock);
        attempts = new CallbackAttempts(() -> settings, (pbx, r) -> {
            originated.add(r);
            return CompletableFuture.completedFuture(operatorAnswers
                    ? new OriginateResult(true, 4, "PJSIP/101-1", "1.1", "answered")
                    : new OriginateResult(false, 3, null, null, "no answer"));
        }, "pbx1", store, crm, health, clock);
        dialer = new CallbackDialer(() -> settings, directory, crm, store, attempts, health, clock);
    }

    @AfterEach
    void close() {
        attempts.close();
        db.close();
    }

    @Test
    void insideWorkingHoursItIsRegisteredAsACallbackOnTheEntityAndRingsItsResponsibleFirst() throws Exception {
        dialer.onEvent(form("+7 (916) 200-00-01", "CONTACT", "7"));

        assertEquals(List.of("2 +79162000001 CONTACT:7"), registered, "TYPE 4 on the responsible, bound to the form's entity");
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(1).equals("ANSWERED"));
        OriginateRequest r = originated.getFirst();
        assertEquals("PJSIP/101", r.channel(), "the responsible's inner number, by routing.extensionDial");
        assertEquals(CallbackAttempts.CALLBACK_CONTEXT, r.context());
        assertEquals("79162000001", r.exten());
        assertEquals(Optional.of("\"Callback: Sergey Kuznetsov\" <79162000001>"), r.callerId(),
                "the operator sees the client's CRM name and number");
        assertEquals(Duration.ofSeconds(20), r.ringTimeout(), "callback.operatorRingTimeoutSeconds");
        assertEquals("externalCall.cb.1", r.variables().get("B24_CALLBACK"));
        assertEquals(null, r.variables().get("B24_CALL_ID"), "set by the dialplan only once an operator answered");
        assertEquals("101", r.variables().get("B24_OPERATOR"));
    }

    @Test
    void withoutAResponsibleTheTargetQueueIsRungAndTheCallIsTheFallbackUsers() throws Exception {
        settings = with(new Callback(true, new Target(Target.Type.QUEUE, "support"), 0, 60, null, 20,
                Callback.FirstCall.RESPONSIBLE, 2, HOURS)); // the fallback user has a phone: it is not rung first
        dialer.onEvent(form("+79162100022", "LEAD", "9"));

        assertEquals(List.of("2 +79162100022 LEAD:9"), registered, "callback.fallbackUserId: the lead has no responsible");
        assertEquals("Local/support@b24bridge-queue/n", originated.getFirst().channel(), "routing.queueDial");
        assertEquals("", originated.getFirst().variables().get("B24_OPERATOR"), "whoever of the queue answers");
    }

    @Test
    void outsideWorkingHoursATaskForTheFirstWorkingHourAndNothingRings() throws Exception {
        now = Instant.parse("2026-12-05T09:00:00Z"); // Saturday noon in Moscow
        dialer.onEvent(form("+79162000001", "CONTACT", "7"));

        assertEquals(List.of(), originated);
        assertEquals(List.of(), registered, "no call in the CRM");
        assertEquals(List.of("2 2026-12-07T07:00:00Z [C_7] Call back Sergey Kuznetsov, +79162000001"), tasks,
                "on the responsible, due by 10:00 Monday in Moscow, bound to the contact");
        assertEquals("TASK", stateOf(1));
    }

    @Test
    void nobodyAnsweringAfterTheRetriesIsAMissedCallbackInTheCrm() throws Exception {
        operatorAnswers = false;
        dialer.onEvent(form("+79162000001", "CONTACT", "7"));

        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(1).equals("MISSED"));
        assertEquals(1, originated.size(), "callback.retries 0: one attempt");
        assertEquals(List.of("externalCall.cb.1 2"), missed, "finished as missed on the user it was registered on");
        assertEquals(1L, health.check().facts().get("missedSinceStart"));
    }

    @Test
    void theSameFormTwiceIsOneCallbackAndARedeliveryOfTheSameRowActsNoMore() throws Exception {
        BoxEvent first = form("+79162000001", "CONTACT", "7");
        dialer.onEvent(first);
        dialer.onEvent(form("+79162000001", "CONTACT", "7")); // the other queue's copy: a new inbox row
        dialer.onEvent(first); // the inbox handles the same row again

        assertEquals(1, registered.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> originated.size() == 1);
        assertEquals(1L, health.check().facts().get("repeatsDroppedSinceStart"));
    }

    @Test
    void garbledFormsAndTheSwitchAreRefusedWithATraceAndNothingRings() throws Exception {
        dialer.onEvent(form("79161112233&PJSIP/999", "CONTACT", "7"));
        dialer.onEvent(form("+79162000001", "CONTACT", "7 OR 1"));
        dialer.onEvent(form("+79162000001", "USER", "7"));
        settings = with(new Callback(false, new Target(Target.Type.QUEUE, "support"), 0, 60, null, 20, null, 1,
                null));
        dialer.onEvent(form("+79162000001", "CONTACT", "7"));

        assertEquals(List.of(), originated);
        assertEquals(List.of(), registered);
        assertEquals(4L, health.check().facts().get("refusedSinceStart"));
        assertEquals("DEGRADED", health.check().state().name());
    }

    @Test
    void aCallbackRingingWhenTheApplianceStoppedIsFinishedAsMissedWhenItsAttemptsAreSpent() throws Exception {
        Callbacks store = new Callbacks(db);
        CallbackRequest r = CallbackRequest.of(form("+79162000001", "CONTACT", "7").data());
        long id = store.claim(r, 99, now).orElseThrow().id();
        store.registered(id, "externalCall.before.1", 2, now);
        store.attempted(id, 1, now); // callback.retries 0: that was the last

        dialer.resume();

        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(id).equals("MISSED"));
        assertEquals(List.of("externalCall.before.1 2"), missed, "its open CRM call is not left open");
        assertEquals(List.of(), originated);
    }

    @Test
    void severalExtensionsCannotTakeACallbackTheSettingsSayWhy() {
        Problems p = new Problems();
        new Callback(true, new Target(Target.Type.EXTENSIONS, "101,102"), null, null, null, null, null, null, null)
                .validate(p);
        assertTrue(p.errors().toString().contains("ring group or a queue"), p.errors().toString());
    }

    private BoxEvent form(String phone, String entityType, String entityId) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("PHONE_NUMBER", phone);
        data.put("TEXT", "Please call");
        data.put("VOICE", "");
        data.put("CRM_ENTITY_TYPE", entityType);
        data.put("CRM_ENTITY_ID", entityId);
        data.put("LINE_NUMBER", "");
        return new BoxEvent(nextInboxId++, "module", BoxEvent.EXTERNAL_CALLBACK_START, data, now, 1);
    }

    private String stateOf(long id) {
        return new Callbacks(db).row(id).map(r -> r.state().name()).orElse("none");
    }

    private static Settings with(Callback cb) {
        return new Settings(1, Map.of(Section.CALLBACK, cb));
    }
}
