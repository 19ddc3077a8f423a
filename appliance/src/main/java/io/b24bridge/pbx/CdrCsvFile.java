package io.b24bridge.pbx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.calls.CallFact;

/**
 * The PBX's own call records as plain Asterisk's cdr_csv writes them (Master.csv), read as they grow: each new
 * complete line is parsed and kept by Linkedid for a while, so a call that ended while the link or the appliance
 * was down can be looked up. The file is opened for each read (it may be rotated or replaced); a line still being
 * written (no newline yet) waits for the next read; a file that shrank was rotated and is read from its start.
 *
 * <p>Columns, as cdr.conf's [csv] section with {@code loguniqueid = yes} and {@code newcdrcolumns = yes} makes them
 * (with or without {@code loguserfield}): accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
 * lastdata, start, answer, end, duration, billsec, disposition, amaflags, uniqueid, [userfield,] peeraccount,
 * linkedid, sequence. Without the new columns there is no linkedid: the row's uniqueid stands in for it (right for
 * the caller's rows of a simple call, not for transfers). Times are read as UTC ({@code usegmtime = yes}); only
 * their differences (talk, wait) are used, so a PBX writing local time is still counted right.
 */
final class CdrCsvFile {

    /** At the first read of a long-lived file, only its tail: the calls of interest ended minutes ago. */
    static final long FIRST_READ_TAIL = 8L << 20;
    /** How many Linkedids are kept (oldest dropped first). */
    static final int KEEP_CALLS = 50_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path file;
    private long offset = -1;
    /** The next read starts in the middle of a line (the first read took only the file's tail). */
    private boolean midLine;
    private final Map<String, List<CallFact.RecordedLeg>> byLinkedid = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<CallFact.RecordedLeg>> eldest) {
            return size() > KEEP_CALLS;
        }
    };

    CdrCsvFile(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Reads what was appended since the last read; returns the Linkedids that got rows. */
    List<String> poll() {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return List.of(); // no call recorded yet, or rotated away this instant
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (offset < 0) {
            offset = Math.max(0, size - FIRST_READ_TAIL);
            midLine = offset > 0;
        } else if (size < offset) {
            offset = 0; // rotated: a new file
            midLine = false;
        }
        if (size == offset) {
            return List.of();
        }
        byte[] bytes = new byte[(int) Math.min(size - offset, 16L << 20)];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                // read on
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int lastNewline = -1;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            return List.of(); // a line in the making
        }
        String text = new String(bytes, 0, lastNewline + 1, StandardCharsets.UTF_8);
        offset += lastNewline + 1;
        List<String> got = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (midLine) {
                midLine = false; // the tail read began mid-line
                continue;
            }
            Row row = parse(line);
            if (row != null) {
                byLinkedid.computeIfAbsent(row.linkedid(), k -> new ArrayList<>()).add(row.leg());
                got.add(row.linkedid());
            }
        }
        return got;
    }

    /** The rows read so far for this Linkedid (empty when none). */
    List<CallFact.RecordedLeg> rows(String linkedid) {
        return List.copyOf(byLinkedid.getOrDefault(linkedid, List.of()));
    }

    record Row(String linkedid, CallFact.RecordedLeg leg) {
    }

    /** One Master.csv line; null for a line that is not a CDR row of the expected shape. */
    static Row parse(String line) {
        List<String> f = fields(line.strip());
        if (f.size() < 17) {
            return null;
        }
        String linkedid = switch (f.size()) {
            case 21 -> f.get(19); // uniqueid, userfield, peeraccount, linkedid, sequence
            case 20 -> f.get(18); // uniqueid, peeraccount, linkedid, sequence
            default -> f.get(16); // no new columns: the row's own uniqueid
        };
        Instant start = time(f.get(9));
        if (linkedid.isBlank() || start == null) {
            return null;
        }
        return new Row(linkedid, new CallFact.RecordedLeg(f.get(5), f.get(6), start, time(f.get(10)), time(f.get(11)),
                f.get(14)));
    }

    private static Instant time(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(s.strip(), TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** CSV as cdr_csv writes it: fields in double quotes with "" for a quote, numbers bare, empty fields empty. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
