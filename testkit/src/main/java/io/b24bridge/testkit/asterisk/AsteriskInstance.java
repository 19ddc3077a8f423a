package io.b24bridge.testkit.asterisk;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * One Asterisk process run from the root: {@code chroot ROOT /usr/sbin/asterisk -f -n -C <its asterisk.conf>}.
 * It starts inside a private mount namespace ({@code unshare --mount}) where /proc and /dev are bind-mounted
 * into the root: the mounts exist only for that process and vanish with it, so a crashed or killed run can
 * never leave a mount behind in the shared root (nor a root that cannot be deleted safely). Every program in
 * the chain execs the next, so the child's pid is Asterisk's own.
 */
final class AsteriskInstance {

    private static final Logger LOG = Logger.getLogger(AsteriskInstance.class.getName());
    private static final String LAUNCH = "mount --bind /proc \"$1/proc\" && mount --bind /dev \"$1/dev\""
            + " && exec chroot \"$1\" /usr/sbin/asterisk -f -n -C \"$2\"";

    private final InstanceDirs dirs;
    private Process process;

    AsteriskInstance(InstanceDirs dirs) {
        this.dirs = dirs;
    }

    String name() {
        return dirs.name();
    }

    InstanceDirs dirs() {
        return dirs;
    }

    synchronized void start() throws IOException {
        if (alive()) {
            throw new IllegalStateException(name() + " is already running");
        }
        ProcessBuilder pb = Tools.builder("unshare", "--mount", "--propagation", "private", "sh", "-c", LAUNCH,
                "asterisk-" + name(), dirs.root().toString(), dirs.confInChroot());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dirs.consoleLog().toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        process = pb.start();
        LOG.info(() -> "started Asterisk " + name() + " (pid " + process.pid() + ")");
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGTERM (Asterisk hangs up its calls and stops), then SIGKILL once {@code grace} is over. */
    void stop(Duration grace) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warning(() -> "Asterisk " + name() + " ignored SIGTERM for " + grace + ": killing it");
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        LOG.info(() -> "stopped Asterisk " + name());
    }

    /** SIGKILL: what a crash looks like from outside, no BYE, no Hangup event. */
    void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs a CLI command through the instance's control socket ({@code asterisk -rx}); returns its output. */
    String cli(String command, Duration timeout) throws IOException {
        Process p = Tools.builder("chroot", dirs.root().toString(), "/usr/sbin/asterisk", "-C", dirs.confInChroot(),
                "-rx", command).redirectErrorStream(true).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(name() + " CLI '" + command + "' took longer than " + timeout);
            }
            // the process has exited: its reader only has the pipe's rest to drain, but a loaded machine may not
            // schedule it for a while (1 s was the limit before: "no output" from a CLI that had answered)
            String text = new String(output.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(name() + " CLI '" + command + "' failed (" + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(name() + " CLI '" + command + "': no output", e);
        }
    }

    /**
     * Waits until the instance's AMI takes a login and reports {@code FullyBooted} (all modules loaded, SIP
     * up), and returns that logged-in connection.
     */
    AmiClient awaitAmi(AmiEndpoint endpoint, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IOException("Asterisk " + name() + " exited while starting (exit " + exitCode() + "); see "
                        + dirs.messagesLog() + " and " + dirs.consoleLog());
            }
            CompletableFuture<Void> booted = new CompletableFuture<>();
            AmiClient client = null;
            try {
                // 10 s: with 2 s, a login slower than that on a busy machine would fail every try until the deadline
                client = AmiClient.connect(endpoint, Duration.ofSeconds(10), null, m -> {
                    if ("FullyBooted".equals(m.event())) {
                        booted.complete(null);
                    }
                });
                long left = Math.max(1, deadline - System.nanoTime());
                booted.get(left, TimeUnit.NANOSECONDS);
                return client;
            } catch (IOException e) {
                last = e;
            } catch (ExecutionException | TimeoutException e) {
                last = new IOException("no FullyBooted from " + endpoint, e);
            }
            if (client != null) {
                client.close();
            }
            Thread.sleep(25);
        }
        throw new IOException("Asterisk " + name() + ": AMI " + endpoint + " not ready within " + timeout
                + "; see " + dirs.messagesLog(), last);
    }

    private synchronized String exitCode() {
        return process != null && !process.isAlive() ? Integer.toString(process.exitValue()) : "?";
    }
}
