package io.b24bridge.installer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Just enough of the tar format for bundles. Writing: POSIX ustar, with a pax header for long names, root
 * owner, fixed modes (0755 or 0644) — what any {@code tar xf} reads. Reading ({@link #unpack}): only plain
 * files and folders under one top folder are accepted; links, devices, absolute names and {@code ..} are
 * refused, so an archive not checked yet cannot write outside the folder it is unpacked into.
 */
public final class Tar {

    private static final int BLOCK = 512;

    private Tar() {
    }

    /** Writes {@code dir} (as a top folder of the same name) to {@code out}. */
    public static void write(Path dir, OutputStream out, long mtime) throws IOException {
        String top = dir.getFileName().toString();
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted().forEach(entries::add);
        }
        for (Path p : entries) {
            String name = top + (p.equals(dir) ? "" : "/" + dir.relativize(p).toString().replace('\\', '/'));
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (!isDir && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot pack '" + p + "': only plain files and folders go into a bundle");
            }
            if (isDir) {
                name += "/";
            }
            int mode = isDir || Files.isExecutable(p) ? 0755 : 0644;
            long size = isDir ? 0 : Files.size(p);
            if (name.getBytes(StandardCharsets.UTF_8).length > 99) {
                byte[] pax = paxRecord("path", name);
                out.write(header("PaxHeaders/" + Integer.toHexString(name.hashCode()), 0644, pax.length, mtime, 'x'));
                out.write(pax);
                pad(out, pax.length);
                name = name.substring(0, 50).replace('/', '_');
            }
            out.write(header(name, mode, size, mtime, isDir ? '5' : '0'));
            if (!isDir) {
                try (InputStream in = Files.newInputStream(p)) {
                    long copied = in.transferTo(out);
                    if (copied != size) {
                        throw new IOException("'" + p + "' changed while it was packed");
                    }
                }
                pad(out, size);
            }
        }
        out.write(new byte[BLOCK * 2]);
    }

    /**
     * Unpacks {@code in} into {@code dest} (which must exist and be empty) and returns the top folder.
     * Modes are not taken from the archive: executables get 0755, everything else 0644, folders 0755.
     */
    public static Path unpack(InputStream in, Path dest) throws IOException {
        String top = null;
        String longName = null;
        byte[] header = new byte[BLOCK];
        while (true) {
            readFully(in, header);
            if (allZero(header)) {
                break;
            }
            checkChecksum(header);
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            String name = longName != null ? longName : name(header);
            longName = null;
            switch (type) {
                case 'x', 'L' -> {
                    byte[] data = readData(in, size);
                    longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
                    continue;
                }
                case 'g' -> {
                    readData(in, size);
                    continue;
                }
                case '0', '\0', '5' -> {
                    // plain file or folder: handled below
                }
                default -> throw new IOException("archive entry '" + name + "' is a link or special file (type "
                        + type + "): refused");
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
            boolean executable = (octal(header, 100, 8) & 0100) != 0;
            if (type == '5') {
                Files.createDirectories(target);
                readData(in, size);
            } else {
                Files.createDirectories(target.getParent());
                // CREATE_NEW: an archive naming one file twice is refused rather than overwriting
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    copy(in, out, size);
                }
                skip(in, (BLOCK - size % BLOCK) % BLOCK);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        if (top == null) {
            throw new IOException("the archive is empty");
        }
        return dest.resolve(top);
    }

    private static byte[] header(String name, int mode, long size, long mtime, char type) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode));
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", mtime));
        h[156] = (byte) type;
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, "root");
        put(h, 297, 32, "root");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o", sum));
        h[155] = ' ';
        return h;
    }

    private static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + String.valueOf(len).length();
        if (String.valueOf(total).length() != String.valueOf(len).length()) {
            total++;
        }
        return (total + body).getBytes(StandardCharsets.UTF_8);
    }

    private static String paxPath(byte[] data) throws IOException {
        String text = new String(data, StandardCharsets.UTF_8);
        int i = 0;
        String path = null;
        while (i < text.length()) {
            int sp = text.indexOf(' ', i);
            if (sp < 0) {
                throw new IOException("malformed pax header");
            }
            int len = Integer.parseInt(text.substring(i, sp));
            String rec = text.substring(sp + 1, i + len - 1);
            if (rec.startsWith("path=")) {
                path = rec.substring(5);
            }
            i += len;
        }
        return path;
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = cString(h, 257, 6).startsWith("ustar");
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static void checkChecksum(byte[] h) throws IOException {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
        }
        if (sum != stored) {
            throw new IOException("the archive is damaged (a header checksum does not match)");
        }
    }

    private static long octal(byte[] h, int off, int len) throws IOException {
        String s = cString(h, off, len).strip();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("the archive is damaged (a number in a header is unreadable)");
        }
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(b.length, len));
    }

    private static void pad(OutputStream out, long size) throws IOException {
        out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("an archive header is implausibly large");
        }
        byte[] data = new byte[(int) size];
        readFully(in, data);
        skip(in, (BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("the archive ends in the middle of a file");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        readFully(in, new byte[(int) n]);
    }

    private static void readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                throw new EOFException("the archive ends too early");
            }
            off += n;
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
