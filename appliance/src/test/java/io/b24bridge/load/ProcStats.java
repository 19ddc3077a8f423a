package io.b24bridge.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says of a process: its CPU time (user + system, from {@code /proc/<pid>/stat}) and its resident
 * memory ({@code VmRSS}, {@code VmHWM} from {@code /proc/<pid>/status}); and the machine's CPU time of all its
 * processes (from {@code /proc/stat}), to tell what else ran beside.
 */
public final class ProcStats {

    /** Clock ticks per second ({@code getconf CLK_TCK}): 100 on Linux x86-64. */
    private static final long TICKS = 100;

    private ProcStats() {
    }

    /** CPU time used by the process so far, in ms. */
    public static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * 1000 / TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of this JVM so far, in ms. */
    public static long ownCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** Resident memory now, in KiB (-1 when unknown). */
    public static long rssKib(long pid) {
        return status(pid, "VmRSS:");
    }

    /** The most resident memory so far, in KiB. */
    public static long peakRssKib(long pid) {
        return status(pid, "VmHWM:");
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** Busy CPU time of the whole machine so far (all cores, every process), in ms. */
    public static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // not idle, not iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 1000 / TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
