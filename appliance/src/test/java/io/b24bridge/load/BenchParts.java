package io.b24bridge.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.b24bridge.pbx.AgiClient;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Faults;
import io.b24bridge.testkit.pbx.Mix;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;

/** The bench's parts, each adding its rows; one rig (appliance, simulator, emulator) for the whole run. */
final class BenchParts {

    /** How long each call's events are spread over: a short real call (ring, talk, hang up). */
    private static final Duration SPREAD = Duration.ofSeconds(8);

    private final Path dir;
    private final boolean full;
    private final List<Bench.Row> rows;
    private LoadRig rig;
    private Stats registerFloor;

    BenchParts(Path dir, boolean full, List<Bench.Row> rows) {
        this.dir = dir;
        this.full = full;
        this.rows = rows;
    }

    void run(String part) throws Exception {
        if (rig == null) {
            rig = LoadRig.start(dir, dir.resolve("data"), Bench.HEAP,
                    b -> b.webhook(1, Floors.WEBHOOK, Set.of()).requestLogSize(1000));
            registerFloor = Floors.register(rig.emu(), rig.pki(), 2000);
            System.out.println("  floor: bare register round trip " + registerFloor);
        }
        switch (part) {
            case "cardpop" -> cardPop();
            case "throughput" -> throughput();
            case "catchup" -> catchUp();
            case "growth" -> growth();
            case "routing" -> routing();
            default -> throw new IllegalArgumentException(part);
        }
    }

    // ---- card pop: the first DialBegin the simulator writes → the register (and the first show) at the box ----

    /** The bundled originate through Local channels: its caller is a Local channel, not a trunk (see below). */
    private static final String ORIGINATE = "inbound-local-channels-originate";

    /**
     * The card pop by call kind, because the kinds start ringing differently. An inbound call's first DialBegin
     * is its trunk dialling a phone; an outbound call's, a phone dialling the trunk. The originate's first
     * DialBegin has no calling channel: it is the PBX dialling its own Local channel ({@code Local/s@caller}),
     * which rings no one; only once that channel has run the inbound context and dials the phones
     * ({@code Local/s@caller;1 → Local/101@phones}) does a phone ring and the caller's DID and number exist
     * together. Its row is measured from both, so neither hides the other.
     */
    private void cardPop() throws Exception {
        for (double rate : new double[] {10, 100, 500}) {
            int calls = (int) (rate * (full ? 20 : rate >= 500 ? 2 : rate >= 100 ? 5 : 10));
            Map<Integer, Long> firstDial = new ConcurrentHashMap<>();
            Map<Integer, Long> firstPhoneDial = new ConcurrentHashMap<>();
            Replay r = rig.place(Mix.callCentre(), calls, rate, SPREAD, (call, event, micros) -> {
                if ("DialBegin".equals(event.event())) {
                    firstDial.putIfAbsent(call, micros);
                    String caller = event.get("Channel");
                    if (caller != null && !caller.isBlank()) {
                        firstPhoneDial.putIfAbsent(call, micros);
                    }
                }
            });
            CrmLedger ledger = drain(r, Duration.ofSeconds(60 + calls / 20));
            // the floor again, right after: what the machine gave a bare round trip at this moment
            Stats floor = Floors.register(rig.emu(), rig.pki(), 500);
            Map<String, CallView> byLinkedid = calls();
            Map<String, List<Long>> register = new java.util.LinkedHashMap<>();
            for (String kind : List.of("all calls", "inbound", "outbound", "originate, from its first dial",
                    "originate, from its first dial of a phone")) {
                register.put(kind, new ArrayList<>());
            }
            List<Long> show = new ArrayList<>();
            for (Replay.Placed p : r.placed()) {
                Long dial = firstDial.get(p.index());
                CallView c = byLinkedid.get(p.linkedid());
                if (dial == null || c == null) {
                    continue;
                }
                long at = micros(c.registeredAt());
                register.get("all calls").add(at - dial);
                if (p.transcript().startsWith(ORIGINATE)) {
                    register.get("originate, from its first dial").add(at - dial);
                    Long phone = firstPhoneDial.get(p.index());
                    if (phone != null) {
                        register.get("originate, from its first dial of a phone").add(at - phone);
                    }
                } else {
                    register.get(p.transcript().startsWith("outbound-") ? "outbound" : "inbound").add(at - dial);
                }
                c.cardLog().stream().filter(e -> e.action().equals("SHOW")).findFirst()
                        .ifPresent(e -> show.add(micros(e.at()) - dial));
            }
            Stats sh = ms(show);
            String at = String.format("%.0f/s (%d calls)", rate, calls);
            System.out.println("  " + at + ": first show " + sh + "; floor " + floor);
            for (Map.Entry<String, List<Long>> k : register.entrySet()) {
                Stats reg = ms(k.getValue());
                long early = k.getValue().stream().filter(v -> v < 0).count();
                System.out.println("    register, " + k.getKey() + ": " + reg + ", " + early
                        + " before their dial was written");
                String part = "card pop " + at + ", " + k.getKey() + " (" + reg.n() + ")";
                boolean goal = rate == 100 && k.getKey().equals("inbound");
                rows.add(new Bench.Row(part, "register p50", reg.p50(), "ms", floor.p50(), "", null));
                rows.add(new Bench.Row(part, "register p99", reg.p99(), "ms", floor.p99(),
                        goal ? "≤ floor + 2 ms" : "", goal ? reg.p99() <= floor.p99() + 2 : null));
                rows.add(new Bench.Row(part, "register max", reg.max(), "ms", floor.max(), "", null));
            }
            rows.add(new Bench.Row("card pop " + at, "first show p99 (all calls)", sh.p99(), "ms", floor.p99(), "",
                    null));
            ledgerRow("card pop " + at, ledger);
        }
    }

    /** Microsecond latencies as Stats; a card up before its dial was written counts as 0. */
    private static Stats ms(List<Long> micros) {
        return Stats.of(micros.stream().mapToLong(v -> Math.max(0, v) * 1000).toArray());
    }

    // ---- throughput: the highest rate of full lifecycles sustained with the outbox not growing ----

    /**
     * Offers the call-centre mix at rising rates, each for a fixed time, and stops at the first rate the appliance
     * does not sustain. A rate is sustained when every call finished in the CRM, the calls finished at the offered
     * pace (the span between the first and the last finish is the span they were placed over, the lifecycles'
     * length cancels out) and the outbox did not grow while they were placed.
     */
    private void throughput() throws Exception {
        double[] ladder = full ? new double[] {50, 100, 200, 350, 500} : new double[] {20, 40, 80};
        int seconds = full ? 60 : 30;
        double highest = 0;
        double cpuAtHighest = 0;
        for (double rate : ladder) {
            Lifecycles at = lifecycles(rate, seconds);
            String offered = String.format("offered %.0f/s for %d s", rate, seconds);
            rows.add(new Bench.Row("throughput " + offered, "lifecycles finished a second", at.achieved(), "/s",
                    rate, "", null));
            rows.add(new Bench.Row("throughput " + offered, "appliance CPU per call", at.cpuPerCall(), "ms", null,
                    "", null));
            rows.add(new Bench.Row("throughput " + offered, "outbox waiting, first → last sample",
                    at.lastWaiting(), "", (double) at.firstWaiting(), "not growing", at.steady()));
            ledgerRow("throughput " + offered, at.ledger());
            if (!at.sustained(rate)) {
                break;
            }
            highest = rate;
            cpuAtHighest = at.cpuPerCall();
        }
        rows.add(new Bench.Row("throughput", "highest rate sustained (of " + (long) ladder[ladder.length - 1]
                + "/s tried)", highest, "/s", null, "≥ 500/s, outbox not growing", highest >= 500));
        if (cpuAtHighest > 0) {
            // what the appliance's own CPU per call allows on this machine's cores, the machine given to it alone
            rows.add(new Bench.Row("throughput", "bound by the appliance's CPU (cores × 1 s ÷ CPU per call)",
                    ProcStats.cores() * 1000 / cpuAtHighest, "/s", null, "", null));
        }
    }

    /** One rate's run: what finished, how fast, what it cost, and whether the outbox grew. */
    private record Lifecycles(double achieved, double cpuPerCall, long firstWaiting, long lastWaiting,
                              boolean steady, CrmLedger ledger) {
        boolean sustained(double offered) {
            return ledger.lostCount() == 0 && ledger.duplicates() == 0 && steady && achieved >= 0.95 * offered;
        }
    }

    private Lifecycles lifecycles(double rate, int seconds) throws Exception {
        int calls = (int) (rate * seconds);
        long pid = rig.appliance().pid();
        long cpu0 = ProcStats.cpuMillis(pid);
        long machine0 = ProcStats.machineBusyMillis();
        long t0 = System.nanoTime();
        Replay r = rig.place(Mix.callCentre(), calls, rate, SPREAD, ReplayOptions.Listener.NONE);
        // sampled once the pipeline is full (the first calls' whole spread, their recordings' quiet time): the
        // commands of calls in progress are the pipeline's depth, a backlog that keeps rising is growth
        List<Long> waiting = new ArrayList<>();
        long pipelineFull = t0 + SPREAD.plusSeconds(5).toNanos();
        while (!r.await(Duration.ofSeconds(5))) {
            if (System.nanoTime() >= pipelineFull) {
                waiting.add(safeWaiting());
            }
        }
        CrmLedger l = drain(r, Duration.ofSeconds(120));
        double wall = (System.nanoTime() - t0) / 1e9;
        long cpu = ProcStats.cpuMillis(pid) - cpu0;
        long machine = ProcStats.machineBusyMillis() - machine0;
        Set<String> placed = new HashSet<>();
        r.placed().forEach(p -> placed.add(p.linkedid()));
        List<Instant> finishes = new ArrayList<>();
        for (Map.Entry<String, CallView> c : calls().entrySet()) {
            if (placed.contains(c.getKey()) && c.getValue().finishedAt() != null) {
                finishes.add(c.getValue().finishedAt());
            }
        }
        finishes.sort(null);
        double span = finishes.size() < 2 ? 0
                : Duration.between(finishes.getFirst(), finishes.getLast()).toNanos() / 1e9;
        double achieved = span == 0 ? 0 : (finishes.size() - 1) / span;
        long first = waiting.isEmpty() ? 0 : waiting.getFirst();
        long last = waiting.isEmpty() ? 0 : waiting.getLast();
        // within half again of where it stood when the pipeline was full, or within two seconds' commands
        boolean steady = waiting.size() < 2 || last <= Math.max(1.5 * first, rate * 10);
        System.out.printf("  %d calls at %.0f/s: %d finished over %.1f s of finishes (%.1f/s); outbox waiting %s; "
                        + "CPU appliance %d ms (%.1f ms a call), machine %d ms of %.0f; %s%n", calls, rate,
                finishes.size(), span, achieved, waiting, cpu, (double) cpu / calls, machine,
                wall * 1000 * ProcStats.cores(), l);
        return new Lifecycles(achieved, (double) cpu / calls, first, last, steady, l);
    }

    // ---- catch-up: calls piled up while the box was away, drained against the box's rate limit ----

    private void catchUp() throws Exception {
        int calls = full ? 10_000 : 1_000;
        int burst = 50;
        double perSecond = 2;
        // the box's limits told to the appliance, as an administrator of a box with limits does
        // (bitrix24.rate-limit): the client paces itself instead of finding the limit by its refusals. Restarted
        // before the box goes away, as a deployed appliance was: its start-up requests (the checks of lines, users,
        // lead sources) are not the catch-up's, and made after the box's return they took ~10 of its requests
        rig.restartWith(Map.of("B24BRIDGE_BITRIX24_RATE__LIMIT_PER__SECOND", String.valueOf((int) perSecond),
                "B24BRIDGE_BITRIX24_RATE__LIMIT_BURST", String.valueOf(burst)));
        long stuck = safeWaiting(); // left by the parts before (recordings waiting for their file): not this part's
        rig.emu().faults().outage(Faults.Outage.REFUSED);
        Replay r = rig.place(Mix.callCentre(), calls, full ? 100 : 50, Duration.ofSeconds(2), ReplayOptions.Listener.NONE);
        r.await(Duration.ofSeconds(calls / 20 + 120));
        long before = -1;
        long now = safeWaiting();
        while (now != before) { // the intake has caught up with the PBX: the pile no longer grows
            Thread.sleep(3000);
            before = now;
            now = safeWaiting();
        }
        long queued = now - stuck;
        rig.emu().rateLimiter().enable(burst, perSecond);
        long requests0 = rig.emu().requests().count();
        long t0 = System.nanoTime();
        Instant back = Instant.now();
        rig.emu().faults().outage(Faults.Outage.NONE);
        // drained: every call placed finished in the CRM (a recording whose file is still settling may wait on)
        LoadRig.await(Duration.ofSeconds(queued / 50 / 2 + 300),
                () -> CrmLedger.of(r.placed(), rig.emu()).lostCount() == 0, "every call finished in the CRM");
        double seconds = (System.nanoTime() - t0) / 1e9;
        Instant drained = Instant.now();
        long requests = rig.emu().requests().count() - requests0;
        long sent = queued - Math.max(0, safeWaiting() - stuck);
        BucketUse use = BucketUse.of(rig.emu().requests().recent((int) Math.min(requests, Integer.MAX_VALUE)), back,
                drained, burst, perSecond);
        rig.emu().rateLimiter().disable();
        rig.restartWith(Map.of());
        CrmLedger l = drain(r, Duration.ofSeconds(120));
        double allowed = (burst + perSecond * seconds) * 50; // commands the limit lets through in batches of 50
        double fraction = sent / allowed;
        System.out.printf("  %d calls, %d commands queued; every call in the CRM after %.1f s, %d commands sent with "
                + "%d requests; the limit allows %.0f commands in that time; %s%n", calls, queued, seconds, sent,
                requests, allowed, l);
        System.out.println("  " + use);
        rows.add(new Bench.Row("catch-up", calls + " calls, " + sent + " of " + queued + " commands: commands/s",
                sent / seconds, "/s", allowed / seconds, "≥ 0.95 of the limit", fraction >= 0.95));
        // the ratio's two factors, which a busy machine does not move: the allowance used, and how full it went
        rows.add(new Bench.Row("catch-up", "requests the bucket took (" + requests + " sent)", use.taken(), "",
                burst + perSecond * seconds, "", null));
        rows.add(new Bench.Row("catch-up", "commands a request", use.taken() == 0 ? 0 : (double) use.commands()
                / use.taken(), "", 50.0, "", null));
        ledgerRow("catch-up", l);
    }

    // ---- growth: memory with calls in flight, and the time to healthy after a kill with them in flight ----

    private void growth() throws Exception {
        if (Bench.HEAP.contains("-XX:+AutoCreateSharedArchive")) {
            // the class-data archive is written when the JVM stops cleanly (as the service's first stop writes it):
            // one clean restart first, so the kills below restart with it, as an installed appliance does
            rig.restartWith(Map.of());
        }
        for (int n : full ? new int[] {100, 1_000, 10_000} : new int[] {100, 1_000}) {
            double rate = Math.min(full ? 100 : 50, Math.max(10, n / 5.0));
            Duration spread = Duration.ofSeconds((long) (n / rate) + 30);
            Replay r = rig.place(Mix.callCentre(), n, rate, spread, ReplayOptions.Listener.NONE);
            LoadRig.await(spread, () -> r.callsStarted() == n, "every call to start");
            Thread.sleep(3000);
            long pid = rig.appliance().pid();
            long rss = ProcStats.rssKib(pid) / 1024;
            long heap = Jcmd.heapUsedMib(pid);
            if (Bench.HEAP.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
                System.out.println("  native memory with " + n + " calls in flight (jcmd VM.native_memory summary):");
                System.out.print(Jcmd.nativeMemory(pid));
            }
            rig.killAppliance();
            Instant killed = Instant.now();
            long t0 = System.nanoTime();
            rig.startAppliance();
            long upAt = System.nanoTime();
            LoadRig.await(Duration.ofSeconds(120), () -> {
                try {
                    var h = rig.health();
                    return "UP".equals(h.path("status").asText());
                } catch (RuntimeException e) {
                    return false;
                }
            }, "the restarted appliance to be healthy");
            double healthy = (System.nanoTime() - t0) / 1e6;
            // the CPU the new JVM spent to get there: what the machine's other load does not inflate
            long startCpu = ProcStats.cpuMillis(rig.appliance().pid());
            System.out.printf("  the restart's phases (ms after the kill): %s; \"is up\" seen %d; /health UP %.0f; "
                    + "its CPU by then %d ms%n", RestartPhases.of(rig.appliance().output(), killed),
                    (upAt - t0) / 1_000_000, healthy, startCpu);
            System.out.printf("  %d calls in flight: RSS %d MiB, heap used %d MiB; killed, healthy again in %.0f ms%n",
                    n, rss, heap, healthy);
            rows.add(new Bench.Row("growth " + n + " in flight", "RSS", rss, "MiB", null,
                    n == 1000 ? "≤ 256 MiB" : "", n == 1000 ? rss <= 256 : null));
            rows.add(new Bench.Row("growth " + n + " in flight", "heap used", heap, "MiB", null, "", null));
            rows.add(new Bench.Row("growth " + n + " in flight", "kill → healthy", healthy, "ms", null,
                    n == 1000 ? "≤ 2,000 ms" : "", n == 1000 ? healthy <= 2000 : null));
            rows.add(new Bench.Row("growth " + n + " in flight", "CPU of the new JVM until healthy", startCpu, "ms",
                    null, "", null));
            ledgerRow("growth " + n + " in flight", drain(r, Duration.ofSeconds(120)));
        }
    }

    // ---- routing: the FastAGI answer against a bare loopback exchange of the same size ----

    private void routing() throws Exception {
        int n = 2000;
        for (int i = 0; i < 500; i++) {
            AgiClient.request("127.0.0.1", rig.agiPort(), "route", "4951000101", "7996" + (i % 50), "4951000101",
                    "7996" + (i % 50));
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            nanos[i] = AgiClient.request("127.0.0.1", rig.agiPort(), "route", "4951000101", "7996" + (i % 50),
                    "4951000101", "7996" + (i % 50)).nanos();
        }
        Stats agi = Stats.of(nanos);
        Stats floor = Floors.tcpExchange(n);
        System.out.println("  routing answer " + agi + "; floor (loopback exchange) " + floor);
        rows.add(new Bench.Row("routing (warm cache)", "answer p50", agi.p50(), "ms", floor.p50(), "", null));
        rows.add(new Bench.Row("routing (warm cache)", "answer p99", agi.p99(), "ms", floor.p99(), "", null));
    }

    // ---- helpers ----

    /**
     * Waits until the replay sent everything and the CRM has every call finished (or the timeout: a bench
     * reports what it got, it does not stop); then up to 30 s more for the outbox to empty (what is left then —
     * recordings waiting for their file, say — is printed, not waited for). Returns the ledger.
     */
    private CrmLedger drain(Replay r, Duration timeout) throws InterruptedException {
        r.await(timeout);
        long end = System.nanoTime() + timeout.toNanos();
        CrmLedger l = CrmLedger.of(r.placed(), rig.emu());
        while (l.finished() < l.placed() && System.nanoTime() < end) {
            Thread.sleep(1000);
            l = CrmLedger.of(r.placed(), rig.emu());
        }
        end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (safeWaiting() != 0 && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        long left = safeWaiting();
        if (left != 0 || l.lostCount() > 0) {
            System.out.println("  (not all done: outbox holds " + left + " commands " + rig.getJson("/api/outbox")
                    + "; " + l + ")");
        }
        return l;
    }

    /** The calls placed and the calls finished in the CRM, as one row. */
    private void ledgerRow(String part, CrmLedger l) {
        rows.add(new Bench.Row(part, "calls finished in the CRM / placed", l.finished(), "", (double) l.placed(),
                "1.00, no duplicate", l.finished() == l.placed() && l.duplicates() == 0));
    }

    private long safeWaiting() {
        try {
            return rig.outboxWaiting();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private Map<String, CallView> calls() {
        Map<String, CallView> m = new HashMap<>();
        for (CallView c : rig.emu().state().calls()) {
            m.putIfAbsent(c.externalCallId().substring(c.externalCallId().indexOf(':') + 1), c);
        }
        return m;
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }

    void close() throws IOException {
        if (rig != null) {
            java.nio.file.Files.createDirectories(Path.of("target/bench"));
            java.nio.file.Files.writeString(Path.of("target/bench/appliance.log"), rig.output());
            rig.close();
        }
    }
}
