package io.b24bridge.testkit.asterisk;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The host programs the harness runs, found on PATH or in the system directories root's PATH has. */
final class Tools {

    /** The environment every child process gets: nothing of the JVM's, so runs do not differ by shell. */
    static final Map<String, String> ENV = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME", "/root",
            "LANG", "C.UTF-8");

    private Tools() {
    }

    static Optional<Path> find(String program) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of(ENV.get("PATH").split(":")));
        return dirs.stream()
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** A process with {@link #ENV}; the program is looked up here, as Java would search the JVM's PATH. */
    static ProcessBuilder builder(String... command) {
        String[] argv = command.clone();
        argv[0] = find(argv[0]).map(Path::toString).orElse(argv[0]);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(ENV);
        return pb;
    }
}
