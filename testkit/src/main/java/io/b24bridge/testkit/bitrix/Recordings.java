package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * telephony.externalCall.attachRecord (§2, §5.7) as box 26.250 does it (vi_rest.php:1815-1842,
 * helper.php:995-1270): RECORD_URL wins, then FILENAME; the call must be finished (in the statistic table);
 * FILENAME without FILE_CONTENT hands out an uploadUrl before the name is looked at; a second attach replaces the
 * first. Every error is a RestException without a code. The uploadUrl's token is a reusable signature; the upload
 * is authorised like any request (the application's {@code auth=} in the URL, or the webhook path).
 */
final class Recordings {

    static final String NOT_FINISHED = "Call is not found in the statistic table. Looks like it is not finished yet.";
    static final String WRONG_EXTENSION = "Wrong file extension. Only wav and mp3 are allowed";
    static final String NO_PARAMETERS = "Required parameters are not set. Request should contain or URL or FILENAME parameter";
    static final String UPLOAD_FIELD = "file";

    /** Downloads a RECORD_URL (the box's outgoing HTTP client). */
    interface Fetcher {
        Fetched fetch(URI uri) throws IOException, InterruptedException;
    }

    record Fetched(int status, byte[] body) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CrmState state;
    private final Settings settings;
    private final Supplier<String> baseUrl;
    private final Fetcher fetcher;

    Recordings(CrmState state, Settings settings, Supplier<String> baseUrl, Fetcher fetcher) {
        this.state = state;
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.fetcher = fetcher;
    }

    Reply attach(Invocation inv) {
        Args a = inv.args();
        String callId = a.text("CALL_ID");
        if (a.get("RECORD_URL") != null) {
            requireFinished(callId);
            return fromUrl(callId, a.text("FILENAME"), a.text("RECORD_URL"));
        }
        if (a.get("FILENAME") == null) {
            throw RestError.noCode(NO_PARAMETERS);
        }
        requireFinished(callId);
        String name = a.text("FILENAME");
        if (a.get("FILE_CONTENT") == null) {
            return uploadUrl(inv.caller(), callId, name);
        }
        if (name.isEmpty()) {
            throw RestError.noCode("File name is empty");
        }
        checkExtension(name);
        String content = a.text("FILE_CONTENT");
        if (content.isEmpty()) {
            throw RestError.noCode("File content is empty.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(content);
        } catch (IllegalArgumentException e) {
            throw RestError.noCode("File content is not properly encoded. Base64 encoding is expected.");
        }
        if (bytes.length == 0 || !looksLikeBase64(content)) {
            throw RestError.noCode("File content is not properly encoded. Base64 encoding is expected.");
        }
        return Reply.of(Map.of("FILE_ID", store(callId, name, bytes, "FILE_CONTENT")));
    }

    /** The MIME decoder skips junk characters; the box's base64_decode(strict) does not. */
    private static boolean looksLikeBase64(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || c == '+' || c == '/' || c == '='
                    || c == '\r' || c == '\n';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void requireFinished(String callId) {
        state.tx(s -> {
            Call call = s.calls.get(callId);
            if (call == null || !call.finished) {
                throw RestError.noCode(NOT_FINISHED);
            }
            return null;
        });
    }

    private static void checkExtension(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".wav") && !lower.endsWith(".mp3")) {
            throw RestError.noCode(WRONG_EXTENSION);
        }
    }

    /**
     * {@code CRestUtil::getSpecialUrl} (rest_util.php:989-1035): the application's URL carries its access token
     * ({@code auth=}), a webhook's is on the webhook's own path; the token names the call.
     */
    private Reply uploadUrl(Caller caller, String callId, String name) {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String token = "telephony|" + HexFormat.of().formatHex(b);
        state.tx(s -> s.uploads.put(token, new CrmState.PendingUpload(callId, name)));
        String url = caller.webhook()
                ? baseUrl.get() + "/rest/" + caller.userId() + "/" + caller.webhookSecret() + "/upload.json?token=" + enc(token)
                : baseUrl.get() + "/rest/upload.json?auth=" + enc(caller.accessToken()) + "&token=" + enc(token);
        return Reply.of(Map.of("uploadUrl", url, "fieldName", UPLOAD_FIELD));
    }

    /**
     * The second step of the uploadUrl flow, after the request's own auth passed (rest.php:813-858): the file
     * POSTed under {@link #UPLOAD_FIELD}. The token is a signature, good for more than one upload; a wrong one is
     * ACCESS_DENIED "Access denied! Link check failed" (rest.php:160-192).
     */
    Reply upload(String token, byte[] bytes) {
        CrmState.PendingUpload pending = state.tx(s -> token == null ? null : s.uploads.get(token));
        if (pending == null) {
            throw RestError.of("ACCESS_DENIED", "Access denied! Link check failed");
        }
        if (bytes == null || bytes.length == 0) {
            throw RestError.noCode("File content is empty.");
        }
        requireFinished(pending.callId());
        return Reply.of(Map.of("FILE_ID", store(pending.callId(), pending.filename(), bytes, "uploadUrl")));
    }

    private Reply fromUrl(String callId, String givenName, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw RestError.noCode("NETWORK: " + e.getMessage());
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw RestError.noCode("NETWORK: unsupported URL " + url);
        }
        // without FILENAME the name is taken from the URL path (helper.php:1110-1122); the box checks the
        // content's type after the download, not the name before it (the emulator checks the name: no MIME sniffing)
        String name = givenName.isEmpty() ? lastSegment(uri) : givenName;
        if (settings.blockPrivateRecordUrls() && nonPublic(uri.getHost())) {
            throw RestError.noCode("Record URL resolves to a non-public address and was blocked.");
        }
        Fetched got;
        try {
            got = fetcher.fetch(uri); // outside the state lock: this is I/O
        } catch (IOException e) {
            // HttpClient's errors read "<code>: <message>" (helper.php:1159)
            throw RestError.noCode("NETWORK: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RestError.noCode("NETWORK: interrupted");
        }
        if (got.status() != 200) {
            throw RestError.noCode("Server returns HTTP error code " + got.status());
        }
        checkExtension(name);
        if (got.body().length == 0) {
            throw RestError.noCode("File content is empty.");
        }
        return Reply.of(Map.of("FILE_ID", store(callId, name, got.body(), "RECORD_URL")));
    }

    private static boolean nonPublic(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                byte[] b = a.getAddress();
                boolean uniqueLocal6 = b.length == 16 && (b[0] & 0xfe) == 0xfc;
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
                        || a.isAnyLocalAddress() || uniqueLocal6) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            return true;
        }
    }

    /** Attaches (or replaces) the record of a finished call and of its activity. */
    private int store(String callId, String name, byte[] bytes, String via) {
        String sha = sha256(bytes);
        return state.tx(s -> {
            Call call = s.calls.get(callId);
            if (call == null || !call.finished) {
                throw RestError.noCode(NOT_FINISHED);
            }
            RecordFile file = new RecordFile(s.next("file"), name, bytes.length, sha, via, s.now());
            s.storeFile(file, bytes, call.record);
            call.record = file;
            if (call.activityId != null) {
                Activity act = s.activities.get(call.activityId);
                if (act != null) {
                    s.activities.put(act.id(), act.withRecord(file));
                }
            }
            return file.fileId();
        });
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath();
        return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
