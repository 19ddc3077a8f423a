package io.b24bridge.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the JDK's own {@code jcmd} says about the appliance's JVM: the heap in use, native memory by area. */
final class Jcmd {

    private Jcmd() {
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** The heap in use, from {@code jcmd <pid> GC.heap_info} (the JDK's own tool). */
    static long heapUsedMib(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = USED.matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    /** {@code jcmd <pid> VM.native_memory summary}, the committed figure of each area, one line each. */
    static String nativeMemory(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        StringBuilder b = new StringBuilder();
        for (String line : out.split("\n")) {
            String t = line.strip();
            if (t.startsWith("Total:") || t.startsWith("-") && t.contains("committed=")
                    || t.startsWith("(thread #") || t.startsWith("(stack:")) {
                b.append("    ").append(t).append('\n');
            }
        }
        return b.toString();
    }
}
