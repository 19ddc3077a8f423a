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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.calls.CallFact;

/**
 * The PBX's own call records as plain Asterisk's cdr_csv writes them (Master.csv), read as they grow: each new
 * complete line is parsed and kept by Linkedid, so a call that ended while the link or the appliance was down can
 * be looked up, and the calls of the last {@code keep} compared with what reached the CRM. The file is opened for
 * each read (it may be rotated or replaced); a line still being written (no newline yet) waits for the next read; a
 * file that shrank was rotated and is read from its start. The first read starts at the first line of the last
 * {@code keep} (found by reading back from the end), so a long-lived file is not read whole.
 *
 * <p>Columns, as cdr.conf's [csv] section with {@code loguniqueid = yes} and {@code newcdrcolumns = yes} makes them
 * (with or without {@code loguserfield}): accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
 * lastdata, start, answer, end, duration, billsec, disposition, amaflags, uniqueid, [userfield,] peeraccount,
 * linkedid, sequence. Without the new columns there is no linkedid: the row's uniqueid stands in for it (right for
 * the caller's rows of a simple call, not for transfers). Times are read as UTC ({@code usegmtime = yes}). The
 * product's dialplan writes the DID and the recording into the userfield ({@code b24did=…|b24rec=…}).
 */
final class CdrCsvFile implements PbxRecords {

    /** How many Linkedids are kept (oldest dropped first): a few days of a busy PBX. */
    static final int KEEP_CALLS = 50_000;
    /** Bytes read at a time: what a read holds in memory, whatever the file's size. */
    static final int CHUNK = 1 << 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path file;
    private final Duration keep;
    private final Clock clock;
    private long offset = -1;
    /** Rows of calls that ended before this are not kept: the first read may start a little before it. */
    private Instant keepFrom = Instant.MIN;
    private final Map<String, List<CallFact.RecordedLeg>> byLinkedid = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<CallFact.RecordedLeg>> eldest) {
            return size() > KEEP_CALLS;
        }
    };

    /** @param keep how far back the first read goes: the calls of that long are kept for the reconciliation */
    CdrCsvFile(Path file, Duration keep, Clock clock) {
        this.file = file;
        this.keep = keep;
        this.clock = clock;
    }

    Path file() {
        return file;
    }

    @Override
    public String where() {
        return "Master.csv at " + file;
    }

    @Override
    public synchronized Map<String, List<CallFact.RecordedLeg>> rowsOf(Collection<String> linkedids) {
        poll();
        Map<String, List<CallFact.RecordedLeg>> out = new LinkedHashMap<>();
        for (String id : linkedids) {
            List<CallFact.RecordedLeg> rows = byLinkedid.get(id);
            if (rows != null) {
                out.put(id, List.copyOf(rows));
            }
        }
        return out;
    }

    @Override
    public synchronized Map<String, List<CallFact.RecordedLeg>> startedSince(Instant from) {
        poll();
        Map<String, List<CallFact.RecordedLeg>> out = new LinkedHashMap<>();
        byLinkedid.forEach((id, rows) -> {
            if (rows.stream().map(CallFact.RecordedLeg::start).min(Instant::compareTo).orElseThrow().compareTo(from) >= 0) {
                out.put(id, List.copyOf(rows));
            }
        });
        return out;
    }

    /** Reads what was appended since the last read (all of it); returns the Linkedids that got rows. */
    synchronized List<String> poll() {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return List.of(); // no call recorded yet, or rotated away this instant
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> got = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset < 0) {
                keepFrom = clock.instant().minus(keep);
                offset = firstLineSince(ch, size, keepFrom);
            } else if (size < offset) {
                offset = 0; // rotated: a new file
            }
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            while (offset < size) {
                buf.clear();
                int n = ch.read(buf, offset);
                if (n <= 0) {
                    break;
                }
                int end = lastNewline(buf.array(), n);
                if (end < 0) {
                    if (n == CHUNK) {
                        offset += n; // a line longer than a chunk is no CDR row: skipped
                        continue;
                    }
                    break; // a line in the making
                }
                for (String line : new String(buf.array(), 0, end + 1, StandardCharsets.UTF_8).split("\n")) {
                    Row row = parse(line);
                    if (row != null && !endedBefore(row, keepFrom)) {
                        byLinkedid.computeIfAbsent(row.linkedid(), k -> new ArrayList<>()).add(row.leg());
                        got.add(row.linkedid());
                    }
                }
                offset += end + 1;
            }
        } catch (NoSuchFileException e) {
            return got;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return got;
    }

    /**
     * Where the rows of calls that ended since {@code since} begin: rows are appended as calls end, so the file is
     * read back from its end, a chunk at a time, until a line ended before it (or the file's start).
     */
    private static long firstLineSince(FileChannel ch, long size, Instant since) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long from = size;
        while (from > 0) {
            long start = Math.max(0, from - CHUNK);
            buf.clear();
            buf.limit((int) (from - start));
            ch.read(buf, start);
            int n = buf.position();
            // the first whole line of this chunk: a chunk may begin mid-line, unless it begins the file
            int lineStart = start == 0 ? 0 : indexOf(buf.array(), n, 0) + 1;
            int lineEnd = lineStart <= 0 && start > 0 ? -1 : indexOf(buf.array(), n, lineStart);
            if (lineEnd >= 0) {
                Row row = parse(new String(buf.array(), lineStart, lineEnd - lineStart, StandardCharsets.UTF_8));
                Instant ended = row == null ? null : row.leg().end() != null ? row.leg().end() : row.leg().start();
                if (ended != null && ended.isBefore(since)) {
                    return start + lineStart; // the lines before it ended earlier still
                }
            }
            from = start;
        }
        return 0;
    }

    private static boolean endedBefore(Row row, Instant when) {
        Instant ended = row.leg().end() != null ? row.leg().end() : row.leg().start();
        return ended.isBefore(when);
    }

    private static int indexOf(byte[] b, int n, int from) {
        for (int i = from; i < n; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastNewline(byte[] b, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The rows read so far for this Linkedid (empty when none). */
    synchronized List<CallFact.RecordedLeg> rows(String linkedid) {
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
        String userfield = f.size() == 21 || f.size() == 18 ? f.get(17) : "";
        Instant start = time(f.get(9));
        if (linkedid.isBlank() || start == null) {
            return null;
        }
        return new Row(linkedid, new CallFact.RecordedLeg(f.get(5), f.get(6), start, time(f.get(10)), time(f.get(11)),
                f.get(14), f.get(1), f.get(2), UserField.did(userfield), UserField.recording(userfield)));
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
