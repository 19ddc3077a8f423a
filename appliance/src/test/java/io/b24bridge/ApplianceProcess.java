package io.b24bridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The appliance as an operator runs it: its own JVM, started by the {@code b24bridge} command line, stopped
 * with SIGTERM. Collects everything it prints.
 */
public final class ApplianceProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ApplianceProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        });
    }

    /** Runs {@code b24bridge ARGS} in a new JVM with this test's class path and extra environment. */
    public static ApplianceProcess start(Map<String, String> env, String... args) throws IOException {
        return start(List.of(), env, args);
    }

    /** The same, with JVM options (a heap limit, as JAVA_OPTS gives them to the installed service). */
    public static ApplianceProcess start(List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // hermetic: configuration overrides come from the test alone, not from the shell that runs the build
        pb.environment().keySet().removeIf(name -> name.startsWith("B24BRIDGE_"));
        pb.environment().putAll(env);
        return new ApplianceProcess(pb.start());
    }

    /** Waits until a printed line contains {@code text}; fails with everything printed so far. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (String l : lines) {
                if (l.contains(text)) {
                    return l;
                }
            }
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line with '" + text + "' within " + timeout + "; output:\n" + output());
    }

    /** Sends SIGTERM (as systemd does) and waits for the exit. */
    public int terminate(Duration timeout) throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of its output and lose the last lines
        process.toHandle().destroy();
        return waitFor(timeout);
    }

    /** SIGKILL: the appliance gets no chance to stop cleanly (a power cut, the OOM killer). */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the appliance did not stop within " + timeout + "; output:\n" + output());
        }
        reader.join(2000);
        return process.exitValue();
    }

    public String output() {
        return String.join("\n", lines);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
