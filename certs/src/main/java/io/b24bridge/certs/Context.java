package io.b24bridge.certs;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** What a command runs with: where to print, whom to ask for passwords, what time it is. */
record Context(PrintStream out, PrintStream err, PasswordPrompt prompt, Clock clock) {

    WorkDir workDir(Args args) {
        return new WorkDir(Path.of(args.value("dir", ".")));
    }

    Passwords passwords(Args args, WorkDir dir) {
        return new Passwords(prompt, args.value("password-file").map(Path::of),
                args.value("ca-password-file").map(Path::of), dir.passwordFile(), this::warn);
    }

    CaDir caDir(Args args, WorkDir dir) {
        return new CaDir(args.value("ca-dir").map(Path::of).map(p -> p.toAbsolutePath().normalize())
                .orElse(dir.localCa()));
    }

    Optional<Path> path(Args args, String option) {
        return args.value(option).map(Path::of).map(p -> p.toAbsolutePath().normalize());
    }

    void warn(String message) {
        err.println("warning: " + message);
    }
}
