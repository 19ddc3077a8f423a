package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Asterisk processes left in the root by a run that died without stopping them (a JVM killed with
 * SIGKILL). Only processes whose root directory is this root and whose name is "asterisk" are touched, and
 * only while the root's lock is held, so never a live run's.
 */
final class StaleProcesses {

    private static final Logger LOG = Logger.getLogger(StaleProcesses.class.getName());

    private StaleProcesses() {
    }

    /** The pids of Asterisk processes chrooted into {@code root}. */
    static List<Long> find(Path root) throws IOException {
        Path real = root.toRealPath();
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path proc : procs) {
                try {
                    Path procRoot = Files.readSymbolicLink(proc.resolve("root"));
                    String comm = Files.readString(proc.resolve("comm")).strip();
                    if (procRoot.equals(real) && comm.equals("asterisk")) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException | SecurityException e) {
                    // gone meanwhile, or a kernel thread: not ours
                }
            }
        }
        return pids;
    }

    /** Kills what {@link #find} reports and waits for it to go. */
    static int kill(Path root) throws IOException, InterruptedException {
        List<Long> pids = find(root);
        for (long pid : pids) {
            LOG.warning(() -> "killing a stale Asterisk (pid " + pid + ") left in " + root + " by an earlier run");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        }
        return pids.size();
    }
}
