package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one pair of a JVM, handed to every test class that asks for it: started on first use, restarted only
 * when a class needs other configs, stopped when the test run ends (JUnit closes it from its root store) or,
 * failing that, when the JVM exits. Why the machine cannot run it is decided once and remembered, so later
 * classes skip at once with the same reason.
 */
final class SharedPair implements AutoCloseable {

    /** The machine cannot run the pair; the message says why and what to do. */
    static final class CannotRun extends Exception {
        CannotRun(String reason) {
            super(reason);
        }
    }

    private static final Logger LOG = Logger.getLogger(SharedPair.class.getName());

    private final AsteriskSettings settings;
    private final Thread shutdownHook = new Thread(this::closeQuietly, "asterisk-pair-stop");
    private String cannotRun;
    private RootLock lock;
    private AsteriskPair pair;
    private boolean hookAdded;

    SharedPair(AsteriskSettings settings) {
        this.settings = settings;
    }

    AsteriskSettings settings() {
        return settings;
    }

    /** The running pair on {@code scenario}'s configs, started or restarted as needed. */
    synchronized AsteriskPair acquire(Scenario scenario) throws CannotRun, IOException, InterruptedException {
        if (cannotRun != null) {
            throw new CannotRun(cannotRun);
        }
        if (pair == null) {
            pair = startFirst(scenario);
        } else if (!pair.scenario().equals(scenario) || !pair.healthy()) {
            LOG.info(() -> "restarting the Asterisk pair for scenario '" + scenario.name() + "'");
            pair.restartWith(scenario);
        }
        return pair;
    }

    private AsteriskPair startFirst(Scenario scenario) throws CannotRun, IOException, InterruptedException {
        refuseIf(Preflight.environment(settings));
        lock = RootLock.acquire(settings.root(), settings.lockWait());
        if (lock == null) {
            refuseIf(Optional.of("another process on this machine has held " + settings.root() + " for "
                    + settings.lockWait().toSeconds() + " s (a test run in another module or a pair started by hand)"));
        }
        if (!hookAdded) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookAdded = true;
        }
        StaleProcesses.kill(settings.root());
        refuseIf(Preflight.ports(settings));
        return AsteriskPair.start(settings, scenario);
    }

    private void refuseIf(Optional<String> problem) throws CannotRun {
        if (problem.isPresent()) {
            cannotRun = problem.get();
            releaseLock();
            throw new CannotRun(cannotRun);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (pair != null) {
                pair.close();
                pair = null;
            }
        } finally {
            releaseLock();
            if (hookAdded) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook is what runs us
                }
                hookAdded = false;
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "stopping the Asterisk pair", e);
        }
    }

    private void releaseLock() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "releasing the root lock", e);
            }
            lock = null;
        }
    }
}
