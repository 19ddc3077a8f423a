package io.b24bridge.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The bundle's tar, through Apache Commons Compress (the format's parsing is theirs, and fuzzed). Writing: POSIX
 * (pax for long names), root owner, fixed modes (0755 or 0644), one top folder — what any {@code tar xf} reads.
 * Reading ({@link #unpack}) is our policy on top: only plain files and folders under one top folder are
 * accepted; links, devices, absolute names and {@code ..} are refused, so an archive not checked yet cannot
 * write outside the folder it is unpacked into.
 */
public final class Tar {

    private Tar() {
    }

    /** Writes {@code dir} (as a top folder of the same name) to {@code out}, every entry dated {@code mtime}. */
    public static void write(Path dir, OutputStream out, long mtime) throws IOException {
        String top = dir.getFileName().toString();
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted().forEach(entries::add);
        }
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Path p : entries) {
            String name = top + (p.equals(dir) ? "" : "/" + dir.relativize(p).toString().replace('\\', '/'));
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (!isDir && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot pack '" + p + "': only plain files and folders go into a bundle");
            }
            TarArchiveEntry e = new TarArchiveEntry(isDir ? name + "/" : name,
                    isDir ? TarConstants.LF_DIR : TarConstants.LF_NORMAL);
            e.setMode((isDir ? TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 : TarArchiveEntry.DEFAULT_FILE_MODE & ~0777)
                    | (isDir || Files.isExecutable(p) ? 0755 : 0644));
            e.setModTime(mtime * 1000);
            e.setIds(0, 0);
            e.setUserName("root");
            e.setGroupName("root");
            long size = isDir ? 0 : Files.size(p);
            e.setSize(size);
            tar.putArchiveEntry(e);
            if (!isDir) {
                try (InputStream in = Files.newInputStream(p)) {
                    if (in.transferTo(tar) != size) {
                        throw new IOException("'" + p + "' changed while it was packed");
                    }
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish(); // the end-of-archive blocks; out stays open for its owner
    }

    /**
     * Unpacks {@code in} into {@code dest} (which must exist and be empty) and returns the top folder.
     * Modes are not taken from the archive: executables get 0755, everything else 0644, folders 0755.
     */
    public static Path unpack(InputStream in, Path dest) throws IOException {
        String top = null;
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        try {
            e = tar.getNextEntry();
        } catch (IllegalArgumentException | IOException bad) {
            throw damaged(bad);
        }
        while (e != null) {
            String name = e.getName();
            if (!e.isCheckSumOK()) { // Commons Compress reads on: the check is ours
                throw new IOException("the archive is damaged (the header of '" + name + "' does not match its "
                        + "checksum)");
            }
            byte type = e.getLinkFlag();
            if (type != TarConstants.LF_NORMAL && type != TarConstants.LF_OLDNORM && type != TarConstants.LF_DIR) {
                throw new IOException("archive entry '" + name + "' is a link or special file (type " + (char) type
                        + "): refused");
            }
            String clean = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            String[] parts = clean.split("/");
            if (clean.isEmpty() || clean.startsWith("/") || List.of(parts).contains("..") || List.of(parts).contains("")) {
                throw new IOException("archive entry '" + name + "' has a name that is not allowed");
            }
            if (top == null) {
                top = parts[0];
            } else if (!top.equals(parts[0])) {
                throw new IOException("archive entry '" + name + "' is outside the bundle's folder '" + top + "'");
            }
            Path target = dest.resolve(clean).normalize();
            if (!target.startsWith(dest)) {
                throw new IOException("archive entry '" + name + "' points outside the folder it is unpacked into");
            }
            if (type == TarConstants.LF_DIR) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                // CREATE_NEW: an archive naming one file twice is refused rather than overwriting
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    if (tar.transferTo(out) != e.getSize()) {
                        throw new IOException("the archive ends in the middle of '" + name + "'");
                    }
                }
                boolean executable = (e.getMode() & 0100) != 0;
                Files.setPosixFilePermissions(target,
                        PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
            try {
                e = tar.getNextEntry();
            } catch (IllegalArgumentException | IOException bad) {
                throw damaged(bad);
            }
        }
        if (top == null) {
            throw new IOException("the archive is empty");
        }
        return dest.resolve(top);
    }

    private static IOException damaged(Exception e) {
        return new IOException("the archive is damaged (" + e.getMessage() + ")", e);
    }
}
