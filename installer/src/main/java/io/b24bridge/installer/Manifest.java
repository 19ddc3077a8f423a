package io.b24bridge.installer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file of a bundle, written in {@code sha256sum}'s own format, so that an operator can
 * also check an unpacked bundle with tools the operating system brings ({@code sha256sum -c MANIFEST.sha256}).
 * The manifest and its signature are the only files it does not list.
 */
public record Manifest(SortedMap<String, String> sums) {

    public static final String FILE = "MANIFEST.sha256";
    public static final String SIGNATURE = "MANIFEST.sha256.sig";

    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  ([^\\\\\\n]+)");

    /**
     * Hashes every file under {@code root}. Anything that is not a plain file or folder (a symbolic link, a
     * device), a setuid/setgid file or a file others may write is refused: such an entry in a bundle that root
     * installs is a way in, whatever its checksum says.
     */
    public static Manifest of(Path root) throws IOException {
        SortedMap<String, String> sums = new TreeMap<>();
        List<String> refused = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = relative(root, p);
                if (Files.isSymbolicLink(p)) {
                    refused.add(rel + " is a symbolic link");
                    continue;
                }
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 06000) != 0) {
                    refused.add(rel + " is setuid/setgid");
                }
                if ((mode & 0002) != 0 && !rel.isEmpty()) {
                    refused.add(rel + " is writable by anyone (unpack it as root, or with umask 022)");
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    refused.add(rel + " is not a plain file");
                    continue;
                }
                if (rel.equals(FILE) || rel.equals(SIGNATURE)) {
                    continue;
                }
                sums.put(rel, sha256(p));
            }
        }
        if (!refused.isEmpty()) {
            throw new IOException("bundle '" + root + "' holds entries that are not allowed: "
                    + String.join("; ", refused));
        }
        return new Manifest(sums);
    }

    /** Reads a manifest strictly: any line not in the exact format is an error, not something to skip. */
    public static Manifest parse(byte[] text) throws IOException {
        SortedMap<String, String> sums = new TreeMap<>();
        String s = new String(text, StandardCharsets.UTF_8);
        int n = 0;
        for (String line : s.split("\n", -1)) {
            n++;
            if (line.isEmpty() && n > 1 && s.endsWith("\n")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IOException(FILE + " line " + n + " is malformed");
            }
            String path = m.group(2);
            if (path.startsWith("/") || List.of(path.split("/")).contains("..") || sums.put(path, m.group(1)) != null) {
                throw new IOException(FILE + " line " + n + " names an impossible or repeated path");
            }
        }
        return new Manifest(sums);
    }

    public byte[] bytes() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : sums.entrySet()) {
            out.append(e.getValue()).append("  ").append(e.getKey()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What differs between the manifest (expected) and the files found: empty when they agree. */
    public List<String> differences(Manifest found) {
        List<String> out = new ArrayList<>();
        sums.forEach((path, sum) -> {
            String actual = found.sums.get(path);
            if (actual == null) {
                out.add("missing: " + path);
            } else if (!actual.equals(sum)) {
                out.add("changed: " + path);
            }
        });
        found.sums.keySet().stream().filter(p -> !sums.containsKey(p)).forEach(p -> out.add("not in the manifest: " + p));
        return out;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(OutputStreamNull.INSTANCE);
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    /** Discards what is written (hashing reads through the digest stream). */
    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
