package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two real Asterisk 22 instances on loopback, run from the root: {@code pbx}, the PBX under test (its AMI is
 * what the appliance connects to), and {@code world}, the carrier and the phones around it. Calls between
 * them are real PJSIP calls with RTP, so the PBX's AMI shows what a customer's would.
 * Start one with {@link #start}, or let {@link RealAsterisk} share one across test classes.
 */
public final class AsteriskPair implements AutoCloseable {

    /** How the PBX goes down in {@link #restartPbx}. */
    public enum Restart {
        /** {@code core restart now}: Asterisk hangs its calls up (BYEs, Hangup events), then starts again. */
        GRACEFUL,
        /** SIGKILL and a fresh start: calls vanish without a BYE or an event, as in a crash. */
        CRASH
    }

    private static final Logger LOG = Logger.getLogger(AsteriskPair.class.getName());
    // limits for a loaded CI machine (at load average 15 a JVM took over 30 s to start): each returns as soon as
    // Asterisk is booted / answered / idle, and a boot gives up at once when the process has died
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern ACTIVE_CHANNELS = Pattern.compile("(\\d+) active channels?");

    private final AsteriskSettings settings;
    private final AsteriskInstance pbx;
    private final AsteriskInstance world;
    private Scenario scenario;
    private AmiClient worldAmi;
    private World worldSide;
    private Duration startupTime = Duration.ZERO;

    private AsteriskPair(AsteriskSettings settings) {
        this.settings = settings;
        this.pbx = new AsteriskInstance(new InstanceDirs(settings.root(), "pbx"));
        this.world = new AsteriskInstance(new InstanceDirs(settings.root(), "world"));
    }

    /**
     * Writes the scenario's configs and starts both instances, returning once both AMIs report
     * FullyBooted. The caller has checked the machine ({@link RealAsterisk} does) and holds the root.
     */
    public static AsteriskPair start(AsteriskSettings settings, Scenario scenario) throws IOException, InterruptedException {
        AsteriskPair pair = new AsteriskPair(settings);
        try {
            pair.boot(scenario);
            return pair;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private void boot(Scenario next) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        for (AsteriskInstance i : List.of(pbx, world)) {
            i.dirs().recreate();
            ConfigWriter.write(next, settings, i.dirs());
        }
        pbx.start();
        world.start();
        pbx.awaitAmi(settings.pbxAmi(), BOOT_TIMEOUT).close();
        worldAmi = world.awaitAmi(settings.worldAmi(), BOOT_TIMEOUT);
        worldSide = new World(worldAmi);
        scenario = next;
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info(() -> "Asterisk pair up for scenario '" + next.name() + "' in " + startupTime.toMillis() + " ms (PBX AMI "
                + settings.pbxAmi() + ")");
    }

    /** Stops both instances and starts them again on another scenario's configs. */
    public synchronized void restartWith(Scenario next) throws IOException, InterruptedException {
        stopProcesses();
        boot(next);
    }

    public synchronized Scenario scenario() {
        return scenario;
    }

    public AsteriskSettings settings() {
        return settings;
    }

    /** Time from writing the configs to both AMIs ready, for the last (re)start. */
    public synchronized Duration startupTime() {
        return startupTime;
    }

    /** The PBX's AMI: where the appliance connects, with its least-privilege user. */
    public AmiEndpoint pbxAmi() {
        return settings.pbxAmi();
    }

    /** The PBX's recordings folder seen from the host (MixMonitor writes YYYY/MM/DD/UNIQUEID.wav below). */
    public Path recordingsDir() {
        return pbx.dirs().recordings();
    }

    /** Maps a path the PBX reports (a chroot path, e.g. B24_RECORDING) to the host. */
    public Path pbxPathOnHost(String chrootPath) {
        if (!chrootPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + chrootPath);
        }
        return pbx.dirs().host(chrootPath);
    }

    /** The PBX's log (notices, warnings, each dialplan step). */
    public Path pbxLog() {
        return pbx.dirs().messagesLog();
    }

    public Path worldLog() {
        return world.dirs().messagesLog();
    }

    public synchronized World world() {
        return worldSide;
    }

    /** The carrier delivers a call from {@code callerNumber} to the PBX's DID {@code did}. */
    public WorldCall placeInboundCall(String did, String callerNumber, WorldScript script) throws IOException {
        return world().originate("PJSIP/" + did + "@pbx", "<" + callerNumber + ">", script,
                "inbound call " + callerNumber + " -> DID " + did);
    }

    /**
     * Phone {@code extension} dials {@code number} on the PBX: an outside number (out through the carrier),
     * another extension (an internal call) or a feature code such as {@code **102} (pickup).
     */
    public WorldCall placePhoneCall(String extension, String number, WorldScript script) throws IOException {
        return world().originate("PJSIP/" + number + "@" + extension, "\"Phone " + extension + "\" <" + extension + ">",
                script, "phone " + extension + " -> " + number);
    }

    /** How phone {@code extension} behaves when the PBX rings it. */
    public void phone(String extension, PhoneBehaviour behaviour) throws IOException {
        world().phone(extension, behaviour);
    }

    /** How outside number {@code number} behaves when the PBX calls it. */
    public void outside(String number, PhoneBehaviour behaviour) throws IOException {
        world().outside(number, behaviour);
    }

    /** A CLI command on the PBX ({@code asterisk -rx}); returns its output. */
    public String cli(String command) throws IOException {
        return pbx.cli(command, CLI_TIMEOUT);
    }

    public String worldCli(String command) throws IOException {
        return world.cli(command, CLI_TIMEOUT);
    }

    /** Rereads extensions.conf (and the files it includes) on the PBX. */
    public void reloadDialplan() throws IOException {
        cli("dialplan reload");
    }

    /**
     * Rewrites both instances' configs for {@code next} and reloads them without a restart. Enough for
     * dialplan, PJSIP, queue and feature changes; modules.conf or manager.conf changes need
     * {@link #restartWith}.
     */
    public synchronized void reload(Scenario next) throws IOException {
        for (AsteriskInstance i : List.of(pbx, world)) {
            ConfigWriter.write(next, settings, i.dirs());
            i.cli("core reload", CLI_TIMEOUT);
        }
        scenario = next;
    }

    /** Restarts the PBX instance (only), mid-call if calls are up; returns once its AMI is ready again. */
    public void restartPbx(Restart how) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        if (how == Restart.GRACEFUL) {
            try (AmiClient watcher = AmiClient.connect(settings.pbxAmi(), Duration.ofSeconds(5), null)) {
                cli("core restart now");
                // the old process must be gone before "ready" means the new one
                watcher.closedFuture().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("the PBX did not go down on 'core restart now'", e);
            }
        } else {
            pbx.kill();
            pbx.start();
        }
        pbx.awaitAmi(settings.pbxAmi(), BOOT_TIMEOUT).close();
        LOG.info(() -> "PBX restarted (" + how + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** Whether both processes run and the world's AMI connection is open. */
    public synchronized boolean healthy() {
        return pbx.alive() && world.alive() && worldAmi != null && worldAmi.isOpen();
    }

    /**
     * Between tests: hangs up every call on both sides, restores the default behaviours, and waits until
     * neither instance has a channel left.
     */
    public void reset() throws IOException, InterruptedException {
        world().hangupAll();
        if (activeChannels(pbx) > 0) {
            cli("channel request hangup all");
        }
        world().resetBehaviours();
        awaitIdle(Duration.ofSeconds(60));
    }

    /** Waits until neither instance has a channel (CDR and Hangup events are out by then). */
    public void awaitIdle(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (activeChannels(pbx) > 0 || activeChannels(world) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("calls still up after " + timeout + ":\nPBX: " + cli("core show channels")
                        + "\nworld: " + worldCli("core show channels"));
            }
            Thread.sleep(100);
        }
    }

    private static int activeChannels(AsteriskInstance instance) throws IOException {
        Matcher m = ACTIVE_CHANNELS.matcher(instance.cli("core show channels count", CLI_TIMEOUT));
        if (!m.find()) {
            throw new IOException(instance.name() + ": cannot read the channel count");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Stops both instances, and removes their directories unless settings keep them. */
    @Override
    public synchronized void close() throws IOException {
        try {
            stopProcesses();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Path> mounts = Mounts.under(settings.root());
        if (!mounts.isEmpty()) {
            LOG.warning(() -> "mounts left under " + settings.root() + ": " + mounts);
        }
        if (!settings.keep()) {
            for (AsteriskInstance i : List.of(pbx, world)) {
                try {
                    i.dirs().delete();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not remove " + i.name() + "'s directories", e);
                }
            }
        }
    }

    private void stopProcesses() throws InterruptedException {
        if (worldAmi != null) {
            worldAmi.close();
            worldAmi = null;
        }
        pbx.stop(Duration.ofSeconds(10));
        world.stop(Duration.ofSeconds(10));
    }

    /** The pids of the two processes (-1 when not started), for checks that nothing is left. */
    public List<Long> pids() {
        return List.of(pbx.pid(), world.pid());
    }
}
