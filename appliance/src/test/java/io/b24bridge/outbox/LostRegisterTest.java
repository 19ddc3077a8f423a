package io.b24bridge.outbox;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.bitrix.BitrixBoxGateway;
import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.Params;
import io.b24bridge.bitrix.UserDirectory;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Deployment;
import io.b24bridge.testkit.bitrix.Faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A register whose answer was lost must not become two calls in the CRM (issue 11 §2). The box registers the call and
 * the connection drops before its answer; then the box is away while time passes on the box's clock (the emulator's,
 * which the outbox reads too): 10 minutes — the repeat falls inside the box's 30 minutes from CALL_START_DATE and the
 * box answers the first call's CALL_ID; 45 minutes — the box would make a second call, so with the b24bridge module
 * the outbox asks b24bridge.call.find and takes the first call's CALL_ID, and without it the call is registered and
 * named as one that may be in the CRM twice.
 */
class LostRegisterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final CallKey CALL = new CallKey("pbx1", "1764000000.42");

    @TempDir
    Path dir;
    BoxEmulator emu;
    Database db;
    BoxClient client;
    Outbox outbox;
    Dispatcher dispatcher;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (client != null) {
            client.close();
        }
        if (db != null) {
            db.close();
        }
        emu.stop();
    }

    @Test
    void tenMinutesAwayTheRepeatInsideTheWindowFindsTheFirstCall() throws Exception {
        startWithModule();
        loseTheRegistersAnswerThenBeAway(Duration.ofMinutes(10));

        assertEquals(1, calls().size(), "one call in the CRM: " + calls());
        assertEquals(calls().getFirst().callId(), outbox.journal().bitrixCallId(CALL).orElseThrow());
        assertTrue(calls().getFirst().registerCount() >= 2, "the repeat went to the box, which found the first");
    }

    @Test
    void fortyFiveMinutesAwayTheModuleSaysWhatTheLostRegisterMade() throws Exception {
        startWithModule();
        loseTheRegistersAnswerThenBeAway(Duration.ofMinutes(45));

        assertEquals(1, calls().size(), "one call in the CRM: " + calls());
        assertEquals(calls().getFirst().callId(), outbox.journal().bitrixCallId(CALL).orElseThrow());
        assertTrue(outbox.risks().list(10).isEmpty());
    }

    @Test
    void fortyFiveMinutesAwayWithoutTheModuleTheCallIsRegisteredAndNamedAtRisk() throws Exception {
        startWithWebhook();
        loseTheRegistersAnswerThenBeAway(Duration.ofMinutes(45));

        assertEquals(2, calls().size(), "the box made a second call, as a real box does past its window");
        List<RegisterRisks.Risk> risks = outbox.risks().list(10);
        assertEquals(1, risks.size());
        assertEquals(CALL, risks.getFirst().call());
        assertEquals("+79035550042", risks.getFirst().clientNumber());
        assertEquals(calls().get(1).callId(), risks.getFirst().callId());
        assertEquals(calls().get(1).callId(), outbox.journal().bitrixCallId(CALL).orElseThrow());
        assertTrue(dispatcher.health().check().detail().contains("may be in the CRM twice"),
                dispatcher.health().check().detail());
    }

    @Test
    void tenMinutesAwayWithoutTheModuleTheRepeatIsSafeToo() throws Exception {
        startWithWebhook();
        loseTheRegistersAnswerThenBeAway(Duration.ofMinutes(10));

        assertEquals(1, calls().size(), "one call in the CRM: " + calls());
        assertTrue(outbox.risks().list(10).isEmpty());
    }

    /**
     * The register reaches the box, whose answer is lost (the connection drops after the box did it); the box is then
     * away for {@code away} of its time; then it is back and the outbox drains.
     */
    private void loseTheRegistersAnswerThenBeAway(Duration away) {
        Instant start = emu.clock().instant();
        emu.faults().drop(1.0, Faults.DropPoint.AFTER_EXECUTION);
        CallCrmState state = CallCrmState.builder(CALL, CallEvent.Direction.INBOUND, start)
                .clientNumber("+79035550042").did("74951234567").defaultResponsible(2).registered(true).build();
        CrmCommand.Register register = new CrmCommand.Register(CALL, CrmCommand.UserRef.user(2), "+79035550042",
                false, start, false, "", "", false);
        outbox.journal().record(List.of(new CrmLifecycle.Change(CALL, state, List.of(register), false)));

        await("the box registers the call, the answer lost").atMost(PATIENCE).until(() -> calls().size() == 1
                && outbox.queue().head(CALL).map(OutboxQueue.Entry::maybeSent).orElse(false));
        emu.faults().outage(Faults.Outage.UNAVAILABLE); // before the drop ends: no answer gets through meanwhile
        emu.clock().advance(away);
        emu.faults().clear();
        dispatcher.boxRecovered();
        await("the outbox drains").atMost(PATIENCE).until(() -> outbox.report().counts().pending() == 0
                && outbox.report().counts().sending() == 0);
    }

    private List<CallView> calls() {
        return emu.state().calls().stream().filter(c -> c.externalCallId().equals(CALL.externalCallId())).toList();
    }

    private void startWithModule() throws Exception {
        DevPki.Files pki = pki();
        emu = EmulatedBox.withModule(pki).seedDemo(true).build().start();
        ApplianceConfig.Module module = new ApplianceConfig.Module(ApplianceConfig.Module.CLIENT_ID,
                Secret.of(emu.module().credential()),
                URI.create(emu.baseUrl() + ApplianceConfig.Module.TOKEN_PATH), Duration.ofSeconds(25));
        start(pki, ApplianceConfig.AuthMode.MODULE, Optional.empty(), Optional.of(module));
        client.call("b24bridge.status", Params.of()); // the module's token, before the box starts losing answers
    }

    private void startWithWebhook() throws Exception {
        DevPki.Files pki = pki();
        emu = EmulatedBox.builder(pki).deployment(Deployment.AIR_GAPPED).seedDemo(true)
                .webhook(1, "hooksecret", Set.of()).build().start();
        start(pki, ApplianceConfig.AuthMode.WEBHOOK,
                Optional.of(new ApplianceConfig.Webhook(1, Secret.of("hooksecret"), Optional.empty())),
                Optional.empty());
    }

    private DevPki.Files pki() {
        return DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
    }

    private void start(DevPki.Files pki, ApplianceConfig.AuthMode mode, Optional<ApplianceConfig.Webhook> webhook,
                       Optional<ApplianceConfig.Module> module) throws Exception {
        Secret password = Secret.of(pki.password());
        ApplianceConfig.Bitrix24 config = new ApplianceConfig.Bitrix24(URI.create(emu.baseUrl()), mode,
                Optional.empty(), webhook, module, new ApplianceConfig.Tls(pki.applianceClient(), password,
                Optional.empty(), Optional.of(pki.trustStore()), Optional.of(password)), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 1000, 1000);
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        Files.createDirectories(dir.resolve("keys"));
        client = BoxClient.create(config, db, dir.resolve("keys/token.key"), Json.newMapper());
        outbox = Outbox.open(db, Json.newMapper());
        BitrixBoxGateway gateway = new BitrixBoxGateway(client, new UserDirectory(new CrmApi(client),
                Clock.systemUTC()));
        // the outbox reads the box's clock: "45 minutes later" needs no waiting
        dispatcher = new Dispatcher(outbox, gateway, Map.of(), 8, emu.clock(), Duration.ofSeconds(2)).start();
    }
}
