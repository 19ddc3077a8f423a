package io.b24bridge.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Not a test: the product's capacity as one table, each figure beside the floor measured in the same run (the
 * machine is shared: a floor measured another day says nothing). The appliance runs in its own JVM (the
 * {@code b24bridge run} command line, {@link #HEAP}), the PBX simulator and the box emulator in this one. Run by
 * {@code ./bench} at the top of the repository, which passes its arguments:
 * <pre>
 * ./bench            # the short run (10-15 min): card pop 10/100/500 calls/s, throughput 50/s for 30 s,
 *                    # catch-up 1,000 calls, growth 100/1,000 calls in flight
 * ./bench --full     # the issue's sizes: throughput 500/s for 60 s, catch-up 10,000 calls, growth to 10,000
 * </pre>
 * Prints the table and writes it as JSON to {@code target/bench/bench-<time>.json}.
 */
public final class Bench {

    /**
     * The JVM options the installed service runs with: {@code bin/b24bridge} hands the same file to its java as an
     * argument file, and so does the bench ({@code BENCH_JVM="-X… -X…" ./bench}, i.e. {@code -Dbench.jvm}, adds
     * options for an experiment, printed with the table). Found from the repository's top ({@code ./bench}) or from {@code appliance/} (the fault
     * suite under Maven).
     */
    static final Path JVM_OPTIONS = Stream.of(Path.of(""), Path.of(".."))
            .map(d -> d.resolve("installer/src/main/bundle/lib/jvm.options").toAbsolutePath().normalize())
            .filter(Files::isRegularFile).findFirst()
            .orElseThrow(() -> new IllegalStateException("no installer/src/main/bundle/lib/jvm.options here or above"));

    /** What the appliance's JVM gets: the service's options file, then the experiment's options. */
    static final List<String> HEAP = jvmOptions();

    private static List<String> jvmOptions() {
        List<String> o = new ArrayList<>(List.of("@" + JVM_OPTIONS));
        String extra = System.getProperty("bench.jvm", "").strip();
        if (!extra.isEmpty()) {
            o.addAll(List.of(extra.split("\\s+")));
        }
        return List.copyOf(o);
    }

    /** One figure of the table: its value, its floor (null: none applies), the issue's goal, met or not. */
    record Row(String part, String figure, double value, String unit, Double floor, String goal, Boolean met) {
        Double ratio() {
            return floor == null || floor == 0 ? null : value / floor;
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = List.of(args).contains("--full");
        Set<String> only = new java.util.HashSet<>();
        for (String a : args) {
            if (a.startsWith("--only=")) {
                only.addAll(List.of(a.substring("--only=".length()).split(",")));
            }
        }
        java.util.logging.LogManager.getLogManager().reset();
        Path dir = Files.createTempDirectory("b24bridge-bench");
        List<Row> rows = new ArrayList<>();
        long machine0 = ProcStats.machineBusyMillis();
        long wall0 = System.nanoTime();
        Instant started = Instant.now();
        BenchParts parts = new BenchParts(dir, full, rows);
        for (String part : List.of("cardpop", "throughput", "catchup", "growth", "routing")) {
            if (!only.isEmpty() && !only.contains(part)) {
                continue;
            }
            System.out.println("== " + part);
            try {
                parts.run(part);
            } catch (Exception | AssertionError e) {
                System.out.println("  " + part + " failed: " + e);
                rows.add(new Row(part, "failed: " + e.getMessage(), Double.NaN, "", null, "", false));
            }
        }
        parts.close();
        long wall = (System.nanoTime() - wall0) / 1_000_000;
        String beside = String.format("machine busy %.0f %% of %d cores over %d s (this bench's two JVMs included)",
                100.0 * (ProcStats.machineBusyMillis() - machine0) / (wall * ProcStats.cores()), ProcStats.cores(),
                wall / 1000);
        String table = table(rows);
        System.out.println();
        System.out.println(table);
        System.out.println(beside);
        System.out.println("appliance JVM: " + HEAP);
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", started.toString());
        json.put("mode", full ? "full" : "short");
        json.put("cores", ProcStats.cores());
        json.put("applianceJvm", HEAP);
        json.put("applianceJvmOptionsFile", Files.readAllLines(JVM_OPTIONS).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
        json.put("beside", beside);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("part", r.part());
            m.put("figure", r.figure());
            m.put("value", Double.isNaN(r.value()) ? null : r.value());
            m.put("unit", r.unit());
            m.put("floor", r.floor());
            m.put("ratio", r.ratio());
            m.put("goal", r.goal());
            m.put("met", r.met());
            list.add(m);
        }
        json.put("rows", list);
        Path file = out.resolve("bench-" + started.toString().replace(':', '-') + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        System.out.println("written: " + file.toAbsolutePath());
        System.exit(rows.stream().anyMatch(r -> r.figure().startsWith("failed")) ? 1 : 0);
    }

    /** The rows as a Markdown table (what docs/development.md pastes). */
    static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("| part | figure | value | floor | × floor | goal |\n|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format("| %s | %s | %s | %s | %s | %s |%n", r.part(), r.figure(), num(r.value(), r.unit()),
                    r.floor() == null ? "" : num(r.floor(), r.unit()),
                    r.ratio() == null ? "" : String.format("%.2f", r.ratio()),
                    r.goal().isEmpty() ? "" : r.goal() + (r.met() == null ? "" : r.met() ? " ✓" : " ✗")));
        }
        return b.toString();
    }

    private static String num(double v, String unit) {
        if (Double.isNaN(v)) {
            return "—";
        }
        String n = Math.abs(v) >= 100 || v == Math.rint(v) ? String.format("%,.0f", v) : String.format("%.2f", v);
        return unit.isEmpty() ? n : n + " " + unit;
    }
}
