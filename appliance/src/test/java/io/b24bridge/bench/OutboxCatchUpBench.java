package io.b24bridge.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.b24bridge.bitrix.BitrixBoxGateway;
import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.UserDirectory;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.Dispatcher;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.store.Database;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.Faults;

/**
 * Not a test: the catch-up rate after an outage. N calls' commands (register, show, hide, finish) pile up in
 * the outbox (real Derby) while the box emulator refuses connections; then the box comes back and the time
 * until the outbox is empty is measured: commands per second, batches used.
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.bench.OutboxCatchUpBench [calls]
 * </pre>
 */
public final class OutboxCatchUpBench {

    private OutboxCatchUpBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        InstalledBox box = InstalledBox.start("b24bridge-catchup", 50);
        BoxEmulator emu = box.emu();
        BoxClient client = box.client();
        Database db = box.db();
        Outbox store = Outbox.open(db, Json.newMapper());
        Dispatcher dispatcher = new Dispatcher(store, new BitrixBoxGateway(client,
                new UserDirectory(new CrmApi(client), Clock.systemUTC())), Map.of(), 8, Clock.systemUTC(),
                Duration.ofSeconds(2));
        client.onRecovery(dispatcher::boxRecovered);

        emu.faults().outage(Faults.Outage.REFUSED);
        dispatcher.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            CallKey k = new CallKey("pbx1", "bench." + i);
            CrmCommand.UserRef e101 = CrmCommand.UserRef.extension("101");
            CrmCommand.UserRef e102 = CrmCommand.UserRef.extension("102");
            CallCrmState state = CallCrmState.builder(k, CallEvent.Direction.INBOUND, Instant.now())
                    .clientNumber("+7916" + i).did("74951234567").defaultResponsible(4).leadSource("CALL")
                    .lineNumber("74951234567").registered(true).operator("101").answeredAt(Instant.now())
                    .lastRinging("102").finished(true).build();
            store.journal().record(List.of(new CrmLifecycle.Change(k, state, List.of(
                    new CrmCommand.Register(k, e101, "+7916" + String.format("%07d", i), false, Instant.now(), true,
                            "CALL", "74951234567", true),
                    new CrmCommand.Show(k, List.of(e102)),
                    new CrmCommand.Hide(k, List.of(e102)),
                    new CrmCommand.Finish(k, e101, 30, "200", null, false)), true)));
        }
        long recorded = System.nanoTime() - t0;
        long commands = 4L * calls;
        System.out.printf("outbox: %d calls, %d commands recorded while the box was away in %.1f s (%.0f/s)%n",
                calls, commands, recorded / 1e9, commands / (recorded / 1e9));

        Thread.sleep(2000);
        Instant back = Instant.now();
        emu.faults().outage(Faults.Outage.NONE);
        while (store.report().counts().pending() + store.report().counts().sending() > 0) {
            Thread.sleep(20);
        }
        double seconds = Duration.between(back, Instant.now()).toMillis() / 1000.0;
        Dispatcher.Stats stats = dispatcher.stats();
        System.out.printf("catch-up after the outage: %d commands in %.1f s = %.0f commands/s (%d batches, %d dead)%n",
                commands, seconds, commands / seconds, stats.batches(), stats.deadLetters());
        long finished = emu.state().calls().stream().filter(c -> c.finished()).count();
        System.out.printf("the box has %d calls, %d finished%n", emu.state().calls().size(), finished);
        dispatcher.close();
        box.close();
        System.exit(0);
    }
}
