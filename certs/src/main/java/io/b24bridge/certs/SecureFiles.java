package io.b24bridge.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Files the way a PKI folder needs them: folders 0700, keys/keystores/password files 0600, every file written
 * whole or not at all (a temporary file moved into place), and nothing replaced unless asked to.
 */
public final class SecureFiles {

    /** Private keys, keystores, password files. */
    public static final String SECRET = "rw-------";
    /** Certificates, CSRs, CA bundles: public, but inside folders only their owner can open. */
    public static final String PUBLIC = "rw-r--r--";
    static final String FOLDER = "rwx------";

    private SecureFiles() {
    }

    /** Creates {@code dir} (and missing parents) as 0700; an existing folder is left as it is. */
    public static void ensureDir(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new CertsException(dir + " exists but is not a folder");
        }
        try {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FOLDER)));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
            restrict(dir, FOLDER);
        } catch (AccessDeniedException e) {
            throw new CertsException("cannot create the folder " + dir + ": permission denied");
        } catch (IOException e) {
            throw new CertsException("cannot create the folder " + dir + ": " + e.getMessage());
        }
    }

    /** A warning when others than the owner may enter {@code dir}; empty when it is private (or not POSIX). */
    public static Optional<String> opennessOf(Path dir) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_EXECUTE)
                    || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                return Optional.of(dir + " is open to other users (" + PosixFilePermissions.toString(p)
                        + "); keys and keystores are written 0600 anyway, but consider chmod 700");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // nothing to say
        }
        return Optional.empty();
    }

    /**
     * Refuses, before anything is written, when one of {@code files} exists and {@code force} is not set: a
     * command either writes all its files or none, and never replaces a key by surprise.
     */
    public static void requireAbsent(boolean force, List<Path> files) {
        if (force) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f)) {
                throw new CertsException(f + " already exists: nothing was written. Give --force to replace it"
                        + " (a replaced key is gone for good)");
            }
        }
    }

    /** Writes {@code text} to {@code file} atomically with {@code permissions} ({@link #SECRET}, {@link #PUBLIC}). */
    public static void write(Path file, String text, String permissions) {
        write(file, text.getBytes(StandardCharsets.UTF_8), permissions);
    }

    public static void write(Path file, byte[] content, String permissions) {
        Path dir = file.toAbsolutePath().getParent();
        ensureDir(dir);
        Path tmp = null;
        try {
            try {
                tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(SECRET)));
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            }
            Files.write(tmp, content);
            restrict(tmp, permissions);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (AccessDeniedException e) {
            throw new CertsException("cannot write " + file + ": permission denied");
        } catch (IOException e) {
            throw new CertsException("cannot write " + file + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file holds nothing the final one would not
                }
            }
        }
    }

    /** Appends a line (creating the file with {@code permissions} if needed): for the local CA's issue log. */
    static void appendLine(Path file, String line, String permissions) {
        try {
            if (!Files.exists(file)) {
                write(file, "", permissions);
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new CertsException("cannot append to " + file + ": " + e.getMessage());
        }
    }

    /** The whole file; a missing, unreadable or folder path is refused naming {@code what} it should have been. */
    static byte[] read(Path file, String what) {
        try {
            if (Files.isDirectory(file)) {
                throw new CertsException(file + " is a folder, not a " + what);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw new CertsException(file + " is empty, not a " + what);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new CertsException(file + " does not exist (expected a " + what + ")");
        } catch (AccessDeniedException e) {
            throw new CertsException(file + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new CertsException(file + " cannot be read: " + e.getMessage());
        }
    }

    static String permissionsOf(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException | IOException e) {
            return "?";
        }
    }

    static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to tighten
        }
    }
}
