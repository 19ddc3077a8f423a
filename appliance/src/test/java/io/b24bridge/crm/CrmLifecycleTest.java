package io.b24bridge.crm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallEvent.Outcome;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.PhoneNumbers;
import io.b24bridge.json.Json;
import io.b24bridge.settings.CallData;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static io.b24bridge.calls.CallEvent.Outcome.ANSWERED;
import static io.b24bridge.calls.CallEvent.Outcome.BUSY;
import static io.b24bridge.calls.CallEvent.Outcome.CANCELLED;
import static io.b24bridge.calls.CallEvent.Outcome.NO_ANSWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Bitrix24 is told for each call shape, under the settings an administrator set. */
class CrmLifecycleTest {

    private static final CallKey CALL = new CallKey("pbx1", "1.0");
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    private static final SettingsJson JSON = new SettingsJson(Json.newMapper());

    private final CrmLifecycle lifecycle = new CrmLifecycle();
    private Settings settings = settings(Map.of(Section.INBOUND_ROUTES, """
            {"routes": [{"did": "74951234567", "name": "Website", "leadSource": "WEB", "defaultResponsibleUserId": 7,
                         "crmCreate": true, "showCardTo": "RINGING"}]}""",
            Section.OUTBOUND_ROUTES, """
            {"routes": [{"prefix": "_8X.", "crmCreate": false, "lineNumber": "74950000000"}]}""",
            Section.CALL_DATA, "{\"addToChat\": false}",
            Section.EXCEPTIONS, "{\"ignoreNumbers\": [\"_8800XXXXXXX\"], \"ignoreExtensions\": [\"199\"]}"));
    private final List<CrmCommand> sent = new ArrayList<>();

    private static Settings settings(Map<Section, String> sections) {
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        sections.forEach((k, v) -> values.put(k, JSON.readSection(k, v.getBytes(StandardCharsets.UTF_8))));
        return new Settings(1, values);
    }

    private List<CrmCommand> feed(CallEvent... events) {
        List<CrmCommand> out = new ArrayList<>();
        for (CrmLifecycle.Change ch : lifecycle.apply(List.of(events), settings)) {
            out.addAll(ch.commands());
        }
        sent.addAll(out);
        return out;
    }

    private static CallEvent.Started inbound(String client, String did) {
        return new CallEvent.Started(CALL, T0, CallEvent.Direction.INBOUND, client, did, null, "trunk");
    }

    private static CallEvent.Ended ended(Outcome status, int talk, String operator, String recording) {
        return new CallEvent.Ended(CALL, T0.plusSeconds(60), status, talk, operator, "102", recording, 3);
    }

    private static CrmCommand.UserRef ext(String e) {
        return CrmCommand.UserRef.extension(e);
    }

    @Test
    void anAnsweredInboundCallPopsTheCardWhileItRingsAndEndsWithTheOperator() {
        List<CrmCommand> first = feed(inbound("84957654321", "74951234567"),
                new CallEvent.RingStarted(CALL, T0, "101"), new CallEvent.RingStarted(CALL, T0, "102"));
        assertEquals(List.of(
                new CrmCommand.Register(CALL, ext("101"), "+74957654321", false, T0, true, "WEB", "74951234567", true),
                new CrmCommand.Show(CALL, List.of(ext("102")))), first, "register for the first ringer, show for the next");

        assertEquals(List.of(new CrmCommand.Hide(CALL, List.of(ext("102")))),
                feed(new CallEvent.Answered(CALL, T0.plusSeconds(4), "101", "answer")));
        assertEquals(List.of(), feed(new CallEvent.RingStopped(CALL, T0.plusSeconds(4), "102", "CANCEL")),
                "102's card was already hidden");

        assertEquals(List.of(
                new CrmCommand.Finish(CALL, ext("101"), 42, "200", null, false),
                new CrmCommand.AttachRecording(CALL, "/var/spool/asterisk/monitor/1.0.wav")),
                feed(ended(ANSWERED, 42, "101", "/var/spool/asterisk/monitor/1.0.wav")));
    }

    @Test
    void aMissedCallIsFinishedOnTheRoutesDefaultResponsible() {
        feed(inbound("84957654321", "74951234567"), new CallEvent.RingStarted(CALL, T0, "101"));
        List<CrmCommand> end = feed(new CallEvent.RingStopped(CALL, T0.plusSeconds(20), "101", "NOANSWER"),
                ended(NO_ANSWER, 0, null, "/var/spool/asterisk/monitor/1.0.wav"));
        assertEquals(List.of(new CrmCommand.Hide(CALL, List.of(ext("101"))),
                new CrmCommand.Finish(CALL, CrmCommand.UserRef.user(7), 0, "304", null, false)), end,
                "no recording of a missed call");
    }

    @Test
    void aCallNobodyRangIsRegisteredForTheDefaultResponsibleWithoutACard() {
        List<CrmCommand> cmds = feed(inbound("84957654321", "74951234567"));
        assertEquals(List.of(new CrmCommand.Register(CALL, CrmCommand.UserRef.user(7), "+74957654321", false, T0,
                true, "WEB", "74951234567", false)), cmds);
    }

    @Test
    void anOutboundCallFollowsItsRoute() {
        CallEvent.Started out = new CallEvent.Started(CALL, T0, CallEvent.Direction.OUTBOUND, "89161112233", null,
                "101", "trunk");
        assertEquals(List.of(new CrmCommand.Register(CALL, ext("101"), "+79161112233", true, T0, false, null,
                "74950000000", true)), feed(out));
        assertEquals(List.of(new CrmCommand.Finish(CALL, ext("101"), 0, "486", null, false)),
                feed(new CallEvent.Ended(CALL, T0.plusSeconds(5), BUSY, 0, null, null, null, 5)));
    }

    @Test
    void aClickToCallIsNeverRegisteredAgainAndIsFinishedUnderTheBoxsCallId() {
        CallEvent.Started click = new CallEvent.Started(CALL, T0, CallEvent.Direction.OUTBOUND, "79161112233", null,
                "101", null, "externalCall.abc.1");
        List<CrmLifecycle.Change> changes = lifecycle.apply(List.of(click), settings);
        assertEquals(List.of(), changes.getFirst().commands(), "the box registered it before it asked");
        assertEquals("externalCall.abc.1", changes.getFirst().givenCallId(), "stored with the call for finish");
        assertEquals(List.of(new CrmCommand.Finish(CALL, ext("101"), 0, "603-S", null, false)),
                feed(new CallEvent.Ended(CALL, T0.plusSeconds(6), CANCELLED, 0, null, null, null, 6)),
                "the operator never took it");
    }

    @Test
    void exceptionsAndInternalCallsReachNobody() {
        assertEquals(List.of(), feed(inbound("88001234567", "74951234567"),
                new CallEvent.RingStarted(CALL, T0, "101"), ended(ANSWERED, 10, "101", null)), "an ignored number");
        CallKey internal = new CallKey("pbx1", "2.0");
        assertTrue(lifecycle.apply(List.of(new CallEvent.Started(internal, T0, CallEvent.Direction.INTERNAL, "102",
                        null, "101", null), new CallEvent.Ended(internal, T0, ANSWERED, 5, "102", null, null, 0)), settings)
                .stream().allMatch(c -> c.commands().isEmpty()));
    }

    @Test
    void anIgnoredExtensionGetsNoCardButTheCallGoesOn() {
        List<CrmCommand> cmds = feed(inbound("84957654321", "74951234567"), new CallEvent.RingStarted(CALL, T0, "199"),
                new CallEvent.RingStarted(CALL, T0, "101"));
        assertEquals(ext("101"), ((CrmCommand.Register) cmds.getFirst()).user());
        assertFalse(cmds.stream().anyMatch(c -> c.toString().contains("199")));
    }

    @Test
    void aCardForTheResponsibleOnlyWhenTheRouteSaysSo() {
        settings = settings(Map.of(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "VIP", "defaultResponsibleUserId": 9,
                             "showCardTo": "RESPONSIBLE"}]}"""));
        List<CrmCommand> cmds = feed(inbound("84957654321", "74951234567"), new CallEvent.RingStarted(CALL, T0, "101"),
                new CallEvent.RingStarted(CALL, T0, "102"));
        assertEquals(List.of(new CrmCommand.Register(CALL, CrmCommand.UserRef.user(9), "+74957654321", false, T0, true,
                "CALL", "74951234567", true)), cmds);
    }

    @Test
    void theRatingGoesIntoFinishWhenItCameBefore() {
        feed(inbound("84957654321", "74951234567"), new CallEvent.RingStarted(CALL, T0, "101"),
                new CallEvent.Answered(CALL, T0, "101", "answer"));
        List<CrmCommand> end = feed(new CallEvent.Rated(CALL, T0.plusSeconds(50), 4), ended(ANSWERED, 40, "101", null));
        assertEquals(new CrmCommand.Finish(CALL, ext("101"), 40, "200", 4, false), end.getFirst());
    }

    @Test
    void aRestartedApplianceCarriesOnInsteadOfRegisteringAgain() {
        feed(inbound("84957654321", "74951234567"), new CallEvent.RingStarted(CALL, T0, "101"));
        CallCrmState saved = lifecycle.state(CALL).orElseThrow();

        CrmLifecycle afterRestart = new CrmLifecycle();
        afterRestart.restore(List.of(saved));
        List<CrmCommand> cmds = new ArrayList<>();
        afterRestart.apply(List.of(inbound("84957654321", "74951234567"),
                new CallEvent.Answered(CALL, T0.plusSeconds(3), "101", "found answered after reconnect")), settings)
                .forEach(ch -> cmds.addAll(ch.commands()));
        assertEquals(List.of(), cmds, "already registered, the card already shown to 101");
    }

    @Test
    void aDidTheSitesOwnDialplanRoutesIsWarnedAboutOncePerDid() {
        List<LogRecord> logged = new ArrayList<>();
        Logger log = Logger.getLogger(CrmLifecycle.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage().contains("no inbound route")) {
                    logged.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = log.getLevel();
        log.addHandler(capture);
        log.setLevel(Level.ALL);
        try {
            for (int n = 0; n < 3; n++) {
                CallKey call = new CallKey("pbx1", "9." + n);
                lifecycle.apply(List.of(new CallEvent.Started(call, T0, CallEvent.Direction.INBOUND, "84957654321",
                        "74950000009", null, "trunk")), settings);
            }
            lifecycle.apply(List.of(new CallEvent.Started(new CallKey("pbx1", "9.9"), T0, CallEvent.Direction.INBOUND,
                    "84957654321", "74950000008", null, "trunk")), settings);
        } finally {
            log.removeHandler(capture);
            log.setLevel(before);
        }
        assertEquals(List.of(Level.WARNING, Level.FINE, Level.FINE, Level.WARNING),
                logged.stream().map(LogRecord::getLevel).toList(), "a warning the first time per DID, then quietly");
    }

    @Test
    void withATaskTemplateAMissedCallAsksForTheCallersTaskAfterItsFinishAndAnAnsweredOneSaysTheyWereReached() {
        settings = settings(Map.of(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "Website", "defaultResponsibleUserId": 7}]}""",
                Section.TASK_TEMPLATES, """
                {"templates": [{"id": "missed-call", "title": "Call back {phone}"}]}"""));
        feed(inbound("84957654321", "74951234567"), new CallEvent.RingStarted(CALL, T0, "101"),
                new CallEvent.Routed(CALL, T0, 5));
        List<CrmCommand> end = feed(ended(NO_ANSWER, 0, null, null));
        assertEquals(new CrmCommand.Finish(CALL, CrmCommand.UserRef.user(5), 0, "304", null, true), end.get(end.size() - 2));
        assertEquals(new CrmCommand.MissedCallTask(CALL, "+74957654321", "74951234567", T0, 3, 5, 7, "101"),
                end.getLast(), "after the finish: register has told the entity by then");

        CallKey answered = new CallKey("pbx1", "2.0");
        lifecycle.apply(List.of(new CallEvent.Started(answered, T0, CallEvent.Direction.INBOUND, "84957654321",
                "74951234567", null, "trunk"), new CallEvent.Answered(answered, T0, "101", "answer")), settings);
        List<CrmCommand> talked = lifecycle.apply(List.of(new CallEvent.Ended(answered, T0.plusSeconds(30), ANSWERED,
                25, "101", "101", null, 2)), settings).getFirst().commands();
        assertEquals(new CrmCommand.CallerReached(answered, "+74957654321", T0.plusSeconds(30), false), talked.getLast());
    }

    @Test
    void withoutATaskTemplateMissedCallsAreOnlyRecorded() {
        feed(inbound("84957654321", "74951234567"));
        assertTrue(feed(ended(NO_ANSWER, 0, null, null)).stream()
                .noneMatch(c -> c instanceof CrmCommand.MissedCallTask || c instanceof CrmCommand.CallerReached));
    }

    @Test
    void numbersAreWrittenInTheConfiguredFormat() {
        var e164 = settings.callData();
        assertEquals("+74951234567", PhoneNumbers.format("84951234567", e164));
        assertEquals("+74951234567", PhoneNumbers.format("74951234567", e164));
        assertEquals("+74951234567", PhoneNumbers.format("+7 (495) 123-45-67", e164));
        assertEquals("+4930123456", PhoneNumbers.format("004930123456", e164));
        assertEquals("112", PhoneNumbers.format("112", e164));
        var national = (CallData) JSON.readSection(Section.CALL_DATA,
                "{\"numberFormat\": \"NATIONAL\", \"areaCode\": \"495\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("84951234567", PhoneNumbers.format("+74951234567", national));
        assertEquals("84951234567", PhoneNumbers.format("1234567", national), "a local number gets the area code");
    }
}
