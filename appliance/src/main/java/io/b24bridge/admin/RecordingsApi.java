package io.b24bridge.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.crm.CallCrmState;
import io.b24bridge.outbox.CallHistory;
import io.b24bridge.outbox.RecordingsDir;

/**
 * A call's recording, played in the panel: {@code GET /api/recordings/{call}} streams the local file of the call
 * ({@code pbx1:1700000000.1}) with its sound type, and one byte range when asked ({@code Range: bytes=a-b}, 206), so
 * the player can be wound. Reading, so a viewer may listen.
 *
 * <p>The request names a call, never a file: the file is the one the PBX named for that call, and it is served only
 * when it is a recording inside that PBX's recordings folder once {@code ..} and links are resolved (as for the upload
 * to the CRM, {@link RecordingsDir}): the name comes from channel variables, which whoever controls a channel can set.
 */
public final class RecordingsApi implements HttpService {

    private static final Logger LOG = Logger.getLogger(RecordingsApi.class.getName());
    /** What an external call id looks like: the PBX id, a colon, Asterisk's Linkedid. */
    private static final Pattern CALL = Pattern.compile("[A-Za-z0-9_-]{1,16}:[0-9A-Za-z._-]{1,120}");
    /** One range; several ranges, or none that parse, get the whole file (RFC 9110 §14.2 lets a server ignore Range). */
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");
    private static final Map<String, String> TYPES = Map.of("wav", "audio/wav", "mp3", "audio/mpeg",
            "ogg", "audio/ogg", "gsm", "audio/x-gsm");

    private final CallHistory history;
    private final Map<String, RecordingsDir> folders;
    private final JsonResponses json;

    /** {@code folders}: per PBX id, where this appliance reads its recordings. */
    public RecordingsApi(CallHistory history, Map<String, RecordingsDir> folders, ObjectMapper mapper) {
        this.history = history;
        this.folders = Map.copyOf(folders);
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{call}", this::stream);
    }

    private void stream(ServerRequest req, ServerResponse res) throws IOException {
        String call = req.path().pathParameters().get("call");
        if (!CALL.matcher(call).matches()) {
            json.error(res, Status.BAD_REQUEST_400, "a call is named by its id, e.g. pbx1:1700000000.1");
            return;
        }
        Optional<CallCrmState> state = history.call(call);
        if (state.isEmpty() || state.get().recordingFile() == null) {
            json.error(res, Status.NOT_FOUND_404, state.isEmpty() ? "no such call" : "the call has no recording");
            return;
        }
        RecordingsDir folder = folders.get(state.get().call().pbx());
        Optional<Path> named = folder == null ? Optional.empty() : folder.localPath(state.get().recordingFile());
        if (named.isEmpty()) {
            json.error(res, Status.FORBIDDEN_403, "the call's recording is not a recording inside PBX "
                    + state.get().call().pbx() + "'s recordings folder: it is not served");
            return;
        }
        Path file = named.get();
        if (!Files.exists(file)) {
            json.error(res, Status.NOT_FOUND_404, "the recording is not in the recordings folder (yet)");
            return;
        }
        if (!folder.inside(file)) {
            json.error(res, Status.FORBIDDEN_403, "the call's recording is a link out of the recordings folder, or "
                    + "not a regular file: it is not served");
            return;
        }
        send(req, res, file);
    }

    private static void send(ServerRequest req, ServerResponse res, Path file) throws IOException {
        long size = Files.size(file);
        long from = 0;
        long to = size - 1;
        Status status = Status.OK_200;
        Optional<String> range = req.headers().first(HeaderNames.RANGE);
        Matcher m = range.map(r -> RANGE.matcher(r.strip())).orElse(null);
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (m.group(1).isEmpty()) {  // the last n bytes
                from = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                from = Long.parseLong(m.group(1));
                to = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
            if (from >= size || from > to) {
                res.status(Status.REQUESTED_RANGE_NOT_SATISFIABLE_416)
                        .header(HeaderNames.CONTENT_RANGE, "bytes */" + size)
                        .send();
                return;
            }
            status = Status.PARTIAL_CONTENT_206;
            res.header(HeaderNames.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + size);
        }
        String name = file.getFileName().toString();
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
        long length = to - from + 1;
        res.status(status)
                .header(HeaderNames.CONTENT_TYPE, type)
                .header(HeaderNames.ACCEPT_RANGES, "bytes")
                .header(HeaderNames.CACHE_CONTROL, "private, no-store")
                .header(HeaderNames.create("X-Content-Type-Options"), "nosniff")
                .header(HeaderNames.CONTENT_LENGTH, String.valueOf(length));
        try (SeekableByteChannel in = Files.newByteChannel(file); OutputStream out = res.outputStream()) {
            in.position(from);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long left = length;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = in.read(buf);
                if (n < 0) {
                    break; // the file shrank: the client sees a short body
                }
                out.write(buf.array(), 0, n);
                left -= n;
            }
        } catch (IOException | UncheckedIOException e) {
            // the listener went away (a player that seeks drops its request), or the file could no longer be read:
            // the headers are out, nothing else can be answered
            LOG.fine(() -> "recording " + file + " cut off: " + e);
        }
    }
}
