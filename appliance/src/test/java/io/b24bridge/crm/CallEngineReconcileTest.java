package io.b24bridge.crm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallFact;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CallTracker;
import io.b24bridge.calls.Endpoints;
import io.b24bridge.crm.CallEngine.Reconciled;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciliation's step in the engine, over the real journal (Derby): a call the PBX's records show and the
 * CRM never heard of is registered and finished with its real times; one the CRM has, or one in progress, is left
 * as it is; nothing is sent twice.
 */
class CallEngineReconcileTest {

    private static final Instant T0 = Instant.parse("2026-12-02T09:00:00Z");
    private static final String DID = "74951234567";
    private static final String RECORDING = "/var/spool/asterisk/monitor/2026/12/02/1733130000.7.wav";

    @TempDir
    Path dir;
    Database db;
    CallEngine engine;
    List<CrmLifecycle.Change> sent;

    @BeforeEach
    void start() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        Outbox outbox = Outbox.open(db, Json.newMapper());
        RecordingJournal journal = new RecordingJournal(outbox.journal());
        sent = journal.stored;
        engine = new CallEngine(new CallTracker(pbx -> Endpoints.standard()), new CrmLifecycle(), journal,
                CallEngineReconcileTest::settings);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    private static Settings settings() {
        SettingsJson json = new SettingsJson(Json.newMapper());
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        values.put(Section.INBOUND_ROUTES, json.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "Website", "leadSource": "WEB", "defaultResponsibleUserId": 7}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        values.put(Section.EXCEPTIONS, json.readSection(Section.EXCEPTIONS, """
                {"ignoreNumbers": ["79160000000"]}""".getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, values);
    }

    /** A carrier call to the DID, answered by 101 two seconds in, talked for {@code talk} seconds. */
    private static CallFact.PbxRecord answeredBy101(String linkedid, String caller, int talk) {
        return new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), linkedid, List.of(
                new CallFact.RecordedLeg("PJSIP/trunk-00000010", "PJSIP/101-00000011", T0, T0.plusSeconds(2),
                        T0.plusSeconds(2 + talk), "ANSWERED", caller, "s", DID, RECORDING)));
    }

    private List<CrmCommand> commandsOf(String linkedid) {
        return sent.stream().filter(c -> c.call().linkedid().equals(linkedid)).flatMap(c -> c.commands().stream())
                .toList();
    }

    @Test
    void aCallNeverSeenIsRegisteredAndFinishedWithItsRealTimesAndRecording() {
        assertEquals(Reconciled.REGISTERED, engine.reconcile(answeredBy101("1733130000.7", "79161112233", 42)));

        List<CrmCommand> commands = commandsOf("1733130000.7");
        assertEquals(3, commands.size(), commands.toString());
        CrmCommand.Register register = assertInstanceOf(CrmCommand.Register.class, commands.get(0));
        assertEquals("+79161112233", register.clientNumber());
        assertEquals(T0, register.startedAt(), "the call's real start");
        assertEquals(DID, register.lineNumber(), "the DID from the record");
        assertEquals("WEB", register.leadSource(), "the DID's route");
        assertEquals(false, register.show(), "no card for a call long over");
        CrmCommand.Finish finish = assertInstanceOf(CrmCommand.Finish.class, commands.get(1));
        assertEquals(CrmCommand.UserRef.extension("101"), finish.user());
        assertEquals(42, finish.talkSeconds());
        assertEquals("200", finish.statusCode());
        assertEquals(new CrmCommand.AttachRecording(new CallKey("pbx1", "1733130000.7"), RECORDING), commands.get(2));
    }

    @Test
    void aCallReconciledOnceIsKnownTheNextTime() {
        engine.reconcile(answeredBy101("1733130000.7", "79161112233", 42));
        int before = sent.size();
        assertEquals(Reconciled.KNOWN, engine.reconcile(answeredBy101("1733130000.7", "79161112233", 42)));
        assertEquals(before, sent.size(), "nothing is sent twice");
    }

    @Test
    void aMissedCallIsRegisteredOnTheRoutesDefaultResponsible() {
        CallFact.PbxRecord missed = new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), "1733130000.9", List.of(
                new CallFact.RecordedLeg("PJSIP/trunk-00000012", "PJSIP/101-00000013", T0, null, T0.plusSeconds(20),
                        "NO ANSWER", "79161112244", "200", DID, null),
                new CallFact.RecordedLeg("PJSIP/trunk-00000012", "PJSIP/102-00000014", T0, null, T0.plusSeconds(20),
                        "NO ANSWER", "79161112244", "200", DID, null)));
        assertEquals(Reconciled.REGISTERED, engine.reconcile(missed));

        List<CrmCommand> commands = commandsOf("1733130000.9");
        assertEquals(2, commands.size(), "no recording: nobody talked");
        CrmCommand.Finish finish = assertInstanceOf(CrmCommand.Finish.class, commands.get(1));
        assertEquals(CrmCommand.UserRef.user(7), finish.user(), "the route's default responsible");
        assertEquals("304", finish.statusCode());
        assertEquals(0, finish.talkSeconds());
    }

    @Test
    void aPickedUpCallWhosePhonesRowWasWrittenFirstInTheSameSecondIsStillTheCallersInboundCall() {
        // Master.csv tells seconds only: 102's own row (it rang, 103 picked it up: **102) was written before the
        // trunk's rows and starts a second before them; the call is still the caller's, in on the DID
        CallFact.PbxRecord pickedUp = new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), "1733130000.3", List.of(
                new CallFact.RecordedLeg("PJSIP/102-00000004", "", T0.minusSeconds(1), null, T0.plusSeconds(3), "NO ANSWER", "102",
                        "**102", null, null),
                new CallFact.RecordedLeg("PJSIP/trunk-00000003", "PJSIP/102-00000004", T0, T0.plusSeconds(1),
                        T0.plusSeconds(3), "ANSWERED", "79161112255", "102", DID, null),
                new CallFact.RecordedLeg("PJSIP/trunk-00000003", "PJSIP/103-00000005", T0.plusSeconds(3),
                        T0.plusSeconds(3), T0.plusSeconds(30), "ANSWERED", "79161112255", "102", DID, RECORDING)));

        assertEquals(Reconciled.REGISTERED, engine.reconcile(pickedUp));

        CrmCommand.Register register = assertInstanceOf(CrmCommand.Register.class,
                commandsOf("1733130000.3").getFirst());
        assertEquals("+79161112255", register.clientNumber());
        assertEquals(DID, register.lineNumber());
    }

    @Test
    void anOriginateThroughLocalChannelsIntoTheInboundContextIsTheCallersInboundCall() {
        // Originate Local/s@caller into from-trunk/DID: its ;1 half runs the inbound dialplan with the client's
        // caller ID and dials the ring group's phones through Local channels (the live model's inbound call)
        CallFact.PbxRecord originated = new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), "1733130000.11", List.of(
                new CallFact.RecordedLeg("Local/s@caller-00000050;1", "Local/101@phones-00000051;1", T0,
                        T0.plusSeconds(4), T0.plusSeconds(9), "ANSWERED", "79161112277", DID, null, RECORDING),
                new CallFact.RecordedLeg("Local/s@caller-00000050;1", "Local/102@phones-00000052;1", T0, null,
                        T0.plusSeconds(4), "NO ANSWER", "79161112277", DID, null, RECORDING)));
        assertEquals(Reconciled.REGISTERED, engine.reconcile(originated));

        List<CrmCommand> commands = commandsOf("1733130000.11");
        CrmCommand.Register register = assertInstanceOf(CrmCommand.Register.class, commands.get(0));
        assertEquals(false, register.outgoing());
        assertEquals("+79161112277", register.clientNumber());
        assertEquals(DID, register.lineNumber(), "the DID it entered at (the row's dst: no tap wrote one)");
        CrmCommand.Finish finish = assertInstanceOf(CrmCommand.Finish.class, commands.get(1));
        assertEquals(CrmCommand.UserRef.extension("101"), finish.user());
        assertEquals(5, finish.talkSeconds());
    }

    @Test
    void anOriginateOfTheProductsOwnPlumbingOrWithoutACallerIsNobodysCall() {
        CallFact.PbxRecord plumbing = new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), "1733130000.12", List.of(
                new CallFact.RecordedLeg("Local/500@b24bridge-queue-00000060;1", "Local/101@phones-00000061;1", T0,
                        T0.plusSeconds(1), T0.plusSeconds(9), "ANSWERED", "79161112288", "500", null, null)));
        CallFact.PbxRecord noCaller = new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), "1733130000.13", List.of(
                new CallFact.RecordedLeg("Local/s@caller-00000062;1", "Local/101@phones-00000063;1", T0,
                        T0.plusSeconds(1), T0.plusSeconds(9), "ANSWERED", "", "s", null, null)));
        engine.reconcile(plumbing);
        engine.reconcile(noCaller);
        assertEquals(List.of(), commandsOf("1733130000.12"));
        assertEquals(List.of(), commandsOf("1733130000.13"));
    }

    @Test
    void anOutboundCallIsRegisteredForTheExtensionThatDialled() {
        CallFact.PbxRecord outbound = new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), "1733130001.1", List.of(
                new CallFact.RecordedLeg("PJSIP/101-00000020", "PJSIP/trunk-00000021", T0, T0.plusSeconds(5),
                        T0.plusSeconds(65), "ANSWERED", "101", "89161112255", null, null)));
        assertEquals(Reconciled.REGISTERED, engine.reconcile(outbound));

        CrmCommand.Register register = assertInstanceOf(CrmCommand.Register.class,
                commandsOf("1733130001.1").get(0));
        assertTrue(register.outgoing());
        assertEquals("+79161112255", register.clientNumber());
        assertEquals(CrmCommand.UserRef.extension("101"), register.user());
        assertEquals(60, assertInstanceOf(CrmCommand.Finish.class, commandsOf("1733130001.1").get(1)).talkSeconds());
    }

    @Test
    void internalCallsAndExceptionsAreLeftAloneAndKnownAfterwards() {
        CallFact.PbxRecord internal = new CallFact.PbxRecord("pbx1", T0.plusSeconds(600), "1733130002.1", List.of(
                new CallFact.RecordedLeg("PJSIP/101-00000030", "PJSIP/102-00000031", T0, T0.plusSeconds(1),
                        T0.plusSeconds(9), "ANSWERED", "101", "102", null, null)));
        assertEquals(Reconciled.LEFT_ALONE, engine.reconcile(internal));
        assertEquals(Reconciled.KNOWN, engine.reconcile(internal));
        assertEquals(Reconciled.LEFT_ALONE, engine.reconcile(answeredBy101("1733130002.5", "79160000000", 5)),
                "an ignored number");
        assertEquals(List.of(), commandsOf("1733130002.1"));
        assertEquals(List.of(), commandsOf("1733130002.5"));
    }

    @Test
    void aCallInProgressIsLeftToTheModel() {
        engine.onFact(new CallFact.NewChannel("pbx1", Instant.now(), "1733130003.1", "1733130003.1",
                "PJSIP/trunk-00000040", "79161112266", null, "from-trunk", DID, CallFact.STATE_RING));
        int before = sent.size();
        assertEquals(Reconciled.LIVE, engine.reconcile(answeredBy101("1733130003.1", "79161112266", 3)));
        assertEquals(before, sent.size());
    }

    @Test
    void theCallsOfAnotherPbxAreTheirOwn() {
        engine.reconcile(answeredBy101("1733130000.7", "79161112233", 42));
        CallFact.PbxRecord samelinkedidOtherPbx = new CallFact.PbxRecord("pbx2", T0.plusSeconds(600), "1733130000.7",
                answeredBy101("x", "79161112233", 42).legs());
        assertEquals(Reconciled.REGISTERED, engine.reconcile(samelinkedidOtherPbx));
        assertEquals(2, sent.stream().filter(c -> c.call().linkedid().equals("1733130000.7")).count(),
                "one call per PBX, the same Linkedid notwithstanding");
    }
}
