package io.b24bridge.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** File modes, for assertions. */
final class Perms {

    private Perms() {
    }

    static String of(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
