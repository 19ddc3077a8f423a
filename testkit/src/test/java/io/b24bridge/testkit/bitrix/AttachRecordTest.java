package io.b24bridge.testkit.bitrix;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static io.b24bridge.testkit.bitrix.TelephonyLifecycleTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** §2 attachRecord and §5.7: only after finish; FILE_CONTENT, the uploadUrl two-step flow, RECORD_URL; replace. */
class AttachRecordTest {

    @TempDir
    static Path dir;
    static TestBox box;
    /** A file server on the LAN (the PBX's recordings), HTTPS with the development certificates. */
    static WebServer files;

    static final byte[] MP3 = "ID3\u0003\u0000fake-mp3-frames".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] WAV = "RIFF....WAVEfmt fake".getBytes(StandardCharsets.ISO_8859_1);

    @BeforeAll
    static void start() {
        box = TestBox.start(dir);
        files = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .tls(EmulatorTls.fromPkcs12(box.pki.applianceServer(), box.pki.password(), box.pki.trustStore(), null)
                        .server(false))
                .routing(r -> r.any((req, res) -> {
                    if (req.path().path().equals("/rec/call-1.mp3")) {
                        res.send(MP3);
                    } else {
                        res.status(Status.NOT_FOUND_404).send();
                    }
                }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        box.close();
        files.stop();
    }

    String callId;
    int activityId;

    @BeforeEach
    void aFinishedCallWithAnActivity() {
        box.emu.reset();
        box.tokens = box.emu.issueTokens(1);
        box.emu.addUser(User.of(2, "Ivan", "101", null));
        box.emu.addContact("Anna", "M", 2, null, "+79035550002");
        callId = box.register(2, "+79035550002");
    }

    private void finish() {
        activityId = box.finish(callId, 2, 42).result().path("CRM_ACTIVITY_ID").asInt();
    }

    private TestBox.Answer attach(Object... p) {
        TestBox.Answer a = box.call("telephony.externalCall.attachRecord", params(p));
        return a;
    }

    @Test
    void helper_php_1003_beforeFinishTheBoxSaysTheCallIsNotInTheStatisticsWithAnEmptyCode() {
        TestBox.Answer a = attach("CALL_ID", callId, "FILENAME", "call.mp3",
                "FILE_CONTENT", Base64.getEncoder().encodeToString(MP3));

        assertEquals(400, a.status());
        assertEquals("", a.error(), "the error code is empty (§1)");
        assertEquals("Call is not found in the statistic table. Looks like it is not finished yet.", a.description());
    }

    @Test
    void s5_7_afterFinishFileContentIsAttachedToTheCallAndItsActivity() {
        finish();

        TestBox.Answer a = attach("CALL_ID", callId, "FILENAME", "call.mp3",
                "FILE_CONTENT", Base64.getEncoder().encodeToString(MP3));

        assertEquals(200, a.status(), a.toString());
        int fileId = a.result().path("FILE_ID").asInt();
        RecordFile rec = box.emu.state().call(callId).orElseThrow().record();
        assertEquals(fileId, rec.fileId());
        assertEquals("call.mp3", rec.name());
        assertEquals(MP3.length, rec.size());
        assertEquals(Recordings.sha256(MP3), rec.sha256());
        assertEquals(rec, box.emu.state().activitiesOf(callId).getFirst().record());
        JsonNode files = box.call("crm.activity.get", params("id", activityId)).result().path("FILES");
        assertEquals(fileId, files.get(0).path("id").asInt());
        assertArrayEquals(MP3, box.emu.recordBytes(fileId).orElseThrow());
    }

    @Test
    void s5_7_aSecondAttachReplacesTheFirst() {
        finish();
        int first = attach("CALL_ID", callId, "FILENAME", "call.mp3",
                "FILE_CONTENT", Base64.getEncoder().encodeToString(MP3)).result().path("FILE_ID").asInt();

        int second = attach("CALL_ID", callId, "FILENAME", "call.wav",
                "FILE_CONTENT", Base64.getEncoder().encodeToString(WAV)).result().path("FILE_ID").asInt();

        RecordFile rec = box.emu.state().call(callId).orElseThrow().record();
        assertEquals(second, rec.fileId());
        assertEquals("call.wav", rec.name());
        assertEquals(Recordings.sha256(WAV), box.emu.state().activitiesOf(callId).getFirst().record().sha256());
        assertTrue(box.emu.recordBytes(first).isEmpty(), "the replaced record is gone");
    }

    @Test
    void helper_php_1016_onlyWavAndMp3AreAcceptedAndBadContentIsRefusedEveryErrorWithoutCode() {
        finish();
        assertError(attach("CALL_ID", callId, "FILENAME", "call.ogg", "FILE_CONTENT", "AAAA"),
                "", "Wrong file extension. Only wav and mp3 are allowed");
        assertError(attach("CALL_ID", callId, "FILENAME", "call.mp3", "FILE_CONTENT", "not base64 !!"),
                "", "File content is not properly encoded. Base64 encoding is expected.");
        assertError(attach("CALL_ID", callId, "FILENAME", "call.mp3", "FILE_CONTENT", ""),
                "", "File content is empty.");
        assertError(attach("CALL_ID", callId, "FILENAME", "", "FILE_CONTENT", "AAAA"),
                "", "File name is empty");
        assertError(attach("CALL_ID", callId), "",
                "Required parameters are not set. Request should contain or URL or FILENAME parameter");
        assertTrue(box.emu.state().call(callId).orElseThrow().record() == null);
    }

    @Test
    void helper_php_1003_attachWithoutCallIdIsTheStatisticTableText() {
        assertError(attach("FILENAME", "a.mp3"), "",
                "Call is not found in the statistic table. Looks like it is not finished yet.");
    }

    @Test
    void helper_php_1007_filenameWithoutContentGetsAnUploadUrlBeforeTheNameIsChecked() {
        finish();
        TestBox.Answer a = attach("CALL_ID", callId, "FILENAME", "notes.txt");
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.result().path("uploadUrl").asText().contains("token="));
    }

    @Test
    void filenameAloneGivesAnUploadUrlWhereAMultipartPostAttachesTheFile() throws Exception {
        finish();
        TestBox.Answer a = attach("CALL_ID", callId, "FILENAME", "big.wav");
        assertEquals(200, a.status(), a.toString());
        String uploadUrl = a.result().path("uploadUrl").asText();
        assertEquals("file", a.result().path("fieldName").asText());
        assertTrue(uploadUrl.startsWith(box.emu.baseUrl() + "/rest/upload.json?"), uploadUrl);
        assertTrue(box.emu.state().call(callId).orElseThrow().record() == null, "nothing attached before the upload");

        TestBox.Answer up = upload(uploadUrl, "file", WAV);

        assertEquals(200, up.status(), up.toString());
        RecordFile rec = box.emu.state().call(callId).orElseThrow().record();
        assertEquals("big.wav", rec.name());
        assertEquals("uploadUrl", rec.via());
        assertEquals(up.result().path("FILE_ID").asInt(), rec.fileId());
        TestBox.Answer again = upload(uploadUrl, "file", WAV);
        assertEquals(200, again.status(), "the token is a signature, good again (rest.php:160-192): " + again);
        TestBox.Answer forged = upload(uploadUrl.replaceFirst("token=[^&]+", "token=telephony%7Cforged"), "file", WAV);
        assertEquals(403, forged.status());
        assertEquals("ACCESS_DENIED", forged.error());
        assertEquals("Access denied! Link check failed", forged.description());
    }

    @Test
    void rest_php_813_theUploadIsAuthorisedLikeAnyRequestTheTokenInItsUrlExpires() {
        finish();
        String uploadUrl = attach("CALL_ID", callId, "FILENAME", "late.wav").result().path("uploadUrl").asText();
        box.emu.clock().advance(java.time.Duration.ofHours(2));

        TestBox.Answer late = upload(uploadUrl, "file", WAV);

        assertEquals(401, late.status(), late.toString());
        assertEquals("expired_token", late.error());
        assertTrue(box.emu.state().call(callId).orElseThrow().record() == null);
    }

    @Test
    void rest_util_php_1009_aWebhooksUploadUrlIsOnTheWebhooksPath() {
        finish();
        box.emu.addWebhook(2, "uploadhook", java.util.Set.of());
        TestBox.Answer a = box.webhook(2, "uploadhook", "telephony.externalCall.attachRecord",
                params("CALL_ID", callId, "FILENAME", "hook.wav"));
        String uploadUrl = a.result().path("uploadUrl").asText();
        assertTrue(uploadUrl.startsWith(box.emu.baseUrl() + "/rest/2/uploadhook/upload.json?token="), uploadUrl);

        assertEquals(200, upload(uploadUrl, "file", WAV).status());
        assertEquals("hook.wav", box.emu.state().call(callId).orElseThrow().record().name());
    }

    private TestBox.Answer upload(String url, String field, byte[] content) {
        String boundary = "----b24bridge" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"x.wav\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(head, head.length + content.length + tail.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return box.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void recordUrlOnALanAddressIsBlockedOnlyWhenTheEmulatorPlaysACloudPortal() {
        finish();
        box.emu.settings().blockPrivateRecordUrls(true);
        TestBox.Answer a = attach("CALL_ID", callId, "RECORD_URL", fileUrl("/rec/call-1.mp3"));
        assertEquals(400, a.status());
        assertEquals("", a.error());
        assertEquals("Record URL resolves to a non-public address and was blocked.", a.description());
    }

    @Test
    void httpclient_php_58_aBoxDownloadsRecordUrlsOnItsLanToo() {
        finish();

        TestBox.Answer a = attach("CALL_ID", callId, "RECORD_URL", fileUrl("/rec/call-1.mp3"));

        assertEquals(200, a.status(), a.toString());
        RecordFile rec = box.emu.state().call(callId).orElseThrow().record();
        assertEquals("call-1.mp3", rec.name(), "without FILENAME the name comes from the URL");
        assertEquals(Recordings.sha256(MP3), rec.sha256());
        assertEquals("RECORD_URL", rec.via());
        assertError(attach("CALL_ID", callId, "RECORD_URL", fileUrl("/rec/missing.mp3")),
                "", "Server returns HTTP error code 404");
    }

    private static String fileUrl(String path) {
        return "https://127.0.0.1:" + files.port() + path;
    }
}
