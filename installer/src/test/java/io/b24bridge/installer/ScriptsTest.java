package io.b24bridge.installer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bundle's shell scripts: strict mode everywhere, and shellcheck-clean where shellcheck is installed. */
class ScriptsTest {

    private static final Path BUNDLE = Path.of("src/main/bundle");

    private static List<Path> scripts() throws Exception {
        try (Stream<Path> s = Files.walk(BUNDLE)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".sh") || p.getParent().getFileName().toString().equals("bin"))
                    .sorted().toList();
        }
    }

    @Test
    void everyScriptRunsInStrictMode() throws Exception {
        List<Path> scripts = scripts();
        assertTrue(scripts.size() >= 7, scripts.toString());
        for (Path p : scripts) {
            String text = Files.readString(p);
            assertTrue(text.contains("set -euo pipefail") || p.endsWith("common.sh"), p + " lacks set -euo pipefail");
        }
    }

    @Test
    void shellcheckFindsNothing() throws Exception {
        boolean present = Stream.of("/usr/bin/shellcheck", "/usr/local/bin/shellcheck").anyMatch(f -> Files.isExecutable(Path.of(f)));
        assumeTrue(present, "shellcheck is not installed (apt-get install shellcheck)");
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x"));
        for (Path p : scripts()) {
            cmd.add(BUNDLE.relativize(p).toString());
        }
        Process proc = new ProcessBuilder(cmd).directory(BUNDLE.toFile()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes());
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), out);
    }
}
