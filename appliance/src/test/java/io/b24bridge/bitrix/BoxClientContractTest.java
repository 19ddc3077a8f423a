package io.b24bridge.bitrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.outbox.BoxGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins the exact HTTP the box client sends for every method the product uses (contract §1–§4): path,
 * encoding, parameter names, auth — over real mutual TLS against MockWebServer.
 */
class BoxClientContractTest {

    @TempDir
    Path dir;
    MockBox box;
    TelephonyApi telephony;
    CrmApi crm;

    @BeforeEach
    void start() {
        box = MockBox.application(dir);
        telephony = new TelephonyApi(box.client);
        crm = new CrmApi(box.client);
    }

    @AfterEach
    void stop() {
        box.close();
    }

    @Test
    void registerIsAFormPostWithTheAccessTokenAndTheClientCertificate() throws Exception {
        box.answer("""
                {"result": {"CALL_ID": "externalCall.abc.1795491816", "CRM_CREATED_LEAD": 17,
                 "CRM_ENTITY_TYPE": "LEAD", "CRM_ENTITY_ID": 17, "CRM_CREATED_ENTITIES": []},
                 "time": {"start": 1}}""");
        TelephonyApi.Registered r = telephony.register(new TelephonyApi.Register(5, null, "+79161112233",
                TelephonyApi.CallType.INCOMING, OffsetDateTime.parse("2026-11-24T10:20:30+03:00"), true, "WEB",
                "74951234567", "pbx1:1795491816.0", true, null, null));

        RecordedRequest req = box.request();
        assertEquals("POST", req.getMethod());
        assertEquals("/rest/telephony.externalcall.register.json", req.getTarget());
        assertEquals("application/x-www-form-urlencoded; charset=utf-8", req.getHeaders().get("Content-Type"));
        assertEquals("USER_ID=5&PHONE_NUMBER=%2B79161112233&TYPE=2&CALL_START_DATE=2026-11-24T10%3A20%3A30%2B03%3A00"
                + "&CRM_CREATE=1&CRM_SOURCE=WEB&SHOW=1&LINE_NUMBER=74951234567&EXTERNAL_CALL_ID=pbx1%3A1795491816.0"
                + "&auth=ACCESS1", MockBox.body(req));
        assertEquals("HTTP/1.1", req.getVersion());
        assertTrue(req.getHandshake().peerPrincipal().getName().contains("b24bridge appliance client"),
                "the appliance presented its client certificate");
        assertEquals("externalCall.abc.1795491816", r.callId());
        assertEquals(17, r.createdLeadId());
        assertEquals("LEAD", r.crmEntityType());
    }

    @Test
    void registerByExtensionSendsUserPhoneInnerInstead() throws Exception {
        box.answer("{\"result\": {\"CALL_ID\": \"c1\"}}");
        telephony.register(new TelephonyApi.Register(null, "101", "+79161112233", TelephonyApi.CallType.OUTGOING,
                null, false, null, "74951234567", "pbx1:2.0", false, null, null));
        assertEquals("USER_PHONE_INNER=101&PHONE_NUMBER=%2B79161112233&TYPE=1&CRM_CREATE=0&SHOW=0"
                + "&LINE_NUMBER=74951234567&EXTERNAL_CALL_ID=pbx1%3A2.0&auth=ACCESS1", MockBox.body(box.request()));
    }

    @Test
    void finishCarriesDurationStatusVoteAndChatFlag() throws Exception {
        box.answer("{\"result\": {\"CALL_ID\": \"c1\", \"CRM_ACTIVITY_ID\": \"88\", \"CRM_ENTITY_TYPE\": \"CONTACT\", "
                + "\"CRM_ENTITY_ID\": \"3\"}}");
        TelephonyApi.Finished f = telephony.finish(new TelephonyApi.Finish("c1", 5, null, 42, "200", null, 4, false));
        RecordedRequest req = box.request();
        assertEquals("/rest/telephony.externalcall.finish.json", req.getTarget());
        assertEquals("CALL_ID=c1&USER_ID=5&DURATION=42&STATUS_CODE=200&VOTE=4&ADD_TO_CHAT=0&auth=ACCESS1",
                MockBox.body(req));
        assertEquals(88, f.activityId());
        assertEquals(3, f.crmEntityId());
    }

    @Test
    void showAndHideSendUserIdsAsAPhpList() throws Exception {
        box.answer("{\"result\": true}");
        box.answer("{\"result\": true}");
        telephony.show("c1", List.of(5, 7));
        telephony.hide("c1", List.of(7));
        assertEquals("CALL_ID=c1&USER_ID%5B%5D=5&USER_ID%5B%5D=7&auth=ACCESS1", MockBox.body(box.request()));
        RecordedRequest hide = box.request();
        assertEquals("/rest/telephony.externalcall.hide.json", hide.getTarget());
        assertEquals("CALL_ID=c1&USER_ID%5B%5D=7&auth=ACCESS1", MockBox.body(hide));
    }

    @Test
    void attachRecordAsksForAnUploadUrlThenSendsTheFileThereAsItIs() throws Exception {
        Path wav = dir.resolve("call.wav");
        Files.write(wav, new byte[] {'R', 'I', 'F', 'F', 0, 1, 2});
        // the box names itself by its portal name; the upload goes to the address the appliance knows it by
        box.answer("{\"result\": {\"uploadUrl\": \"https://crm.corp.local/rest/upload.json?auth=ACCESS1&token=telephony%7Cabc\","
                + " \"fieldName\": \"file\"}}");
        box.answer("{\"result\": {\"FILE_ID\": 901}}");
        Integer id = telephony.attachRecord("c1", "call.wav", wav);

        RecordedRequest ask = box.request();
        assertEquals("/rest/telephony.externalCall.attachRecord.json", ask.getTarget());
        assertEquals("CALL_ID=c1&FILENAME=call.wav&auth=ACCESS1", MockBox.body(ask));
        RecordedRequest upload = box.request();
        assertEquals("/rest/upload.json?auth=ACCESS1&token=telephony%7Cabc", upload.getTarget());
        String type = upload.getHeaders().get("Content-Type");
        assertTrue(type.startsWith("multipart/form-data; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        assertEquals("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"call.wav\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nRIFF\u0000\u0001\u0002\r\n--" + boundary + "--\r\n",
                upload.getBody().string(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(901, id);
    }

    @Test
    void aBoxWithoutUploadUrlsGetsTheFileAsBase64StreamedIntoTheForm() throws Exception {
        Path wav = dir.resolve("call.wav");
        byte[] content = new byte[100_003]; // not a multiple of 3: the padding, URL-encoded
        new java.util.Random(7).nextBytes(content);
        Files.write(wav, content);
        box.answer("{\"result\": {}}");
        box.answer("{\"result\": {\"FILE_ID\": 902}}");
        assertEquals(902, telephony.attachRecord("c1", "call.wav", wav));

        box.request();
        String form = MockBox.body(box.request());
        assertTrue(form.startsWith("CALL_ID=c1&FILENAME=call.wav&auth=ACCESS1&FILE_CONTENT="), form.substring(0, 80));
        String encoded = java.net.URLDecoder.decode(form.substring(form.indexOf("FILE_CONTENT=") + 13),
                java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(java.util.Base64.getEncoder().encodeToString(content), encoded);
    }

    @Test
    void aRequestTheBoxsWebServerRefusesIsRefusedNotFatal() throws Exception {
        Path wav = dir.resolve("big.wav");
        Files.write(wav, new byte[] {'R', 'I', 'F', 'F'});
        box.answer("{\"result\": {\"uploadUrl\": \"https://crm.corp.local/rest/upload.json?auth=ACCESS1&token=t\"}}");
        box.server.enqueue(new MockResponse.Builder().code(413)
                .body("<html><head><title>413 Request Entity Too Large</title></head></html>").build());
        BoxException e = assertThrows(BoxException.class, () -> telephony.attachRecord("c1", "big.wav", wav));
        assertTrue(e instanceof BoxException.Refused r && r.status() == 413, e.toString());
        assertTrue(e.getMessage().contains("client_max_body_size"), e.getMessage());
        assertEquals("HTTP_413", box.client.status().lastRefusal().code(), "an alarm for /health");
        assertFalse(e.getMessage().contains("ACCESS1"), "the upload URL's token is never told");
    }

    @Test
    void searchCrmEntitiesGivesTheResponsibleWithExtensionAndMobile() throws Exception {
        box.answer("""
                {"result": [{"CRM_ENTITY_TYPE": "CONTACT", "CRM_ENTITY_ID": 3, "ASSIGNED_BY_ID": 7, "NAME": "Ivan Petrov",
                  "ASSIGNED_BY": {"ID": "7", "TIMEMAN_STATUS": "OPENED", "USER_PHONE_INNER": "102",
                                  "WORK_PHONE": "", "PERSONAL_PHONE": "", "PERSONAL_MOBILE": "+79035550102"}}]}""");
        List<TelephonyApi.CrmMatch> matches = telephony.searchCrmEntities("+79161112233");
        assertEquals("PHONE_NUMBER=%2B79161112233&auth=ACCESS1", MockBox.body(box.request()));
        assertEquals(List.of(new TelephonyApi.CrmMatch("CONTACT", 3, "Ivan Petrov", 7, "102", "+79035550102", "OPENED")),
                matches);
    }

    @Test
    void userGetReadsEveryPage() throws Exception {
        box.answer("{\"result\": [{\"ID\": \"1\", \"NAME\": \"Anna\", \"LAST_NAME\": \"K\", \"UF_PHONE_INNER\": \"101\"}],"
                + " \"total\": 2, \"next\": 50}");
        box.answer("{\"result\": [{\"ID\": \"2\", \"NAME\": \"Boris\", \"UF_PHONE_INNER\": \"102\", "
                + "\"PERSONAL_MOBILE\": \"+79035550102\"}], \"total\": 2}");
        List<CrmApi.User> users = crm.usersWithExtensions();
        assertEquals("FILTER%5BACTIVE%5D=true&start=0&auth=ACCESS1", MockBox.body(box.request()));
        assertEquals("FILTER%5BACTIVE%5D=true&start=50&auth=ACCESS1", MockBox.body(box.request()));
        assertEquals(List.of(new CrmApi.User(1, "Anna K", "101", null, null, true),
                new CrmApi.User(2, "Boris", "102", "+79035550102", null, true)), users);
    }

    @Test
    void taskTimelineAndLeadSourcesUseNestedFields() throws Exception {
        box.answer("{\"result\": {\"task\": {\"id\": \"55\"}}}");
        box.answer("{\"result\": 12}");
        box.answer("{\"result\": [{\"STATUS_ID\": \"WEB\", \"NAME\": \"Website\"}]}");
        assertEquals(55, crm.addTask("Call back +79161112233", "missed", 7,
                OffsetDateTime.parse("2026-11-24T11:00:00+03:00"), List.of("C_3")));
        assertEquals(12, crm.addTimelineComment("CONTACT", 3, "Rating 4"));
        assertEquals(Map.of("WEB", "Website"), crm.leadSources());
        assertEquals("fields%5BTITLE%5D=Call+back+%2B79161112233&fields%5BDESCRIPTION%5D=missed"
                + "&fields%5BRESPONSIBLE_ID%5D=7&fields%5BDEADLINE%5D=2026-11-24T11%3A00%3A00%2B03%3A00"
                + "&fields%5BUF_CRM_TASK%5D%5B%5D=C_3&auth=ACCESS1", MockBox.body(box.request()));
        assertEquals("fields%5BENTITY_TYPE%5D=contact&fields%5BENTITY_ID%5D=3&fields%5BCOMMENT%5D=Rating+4"
                + "&auth=ACCESS1", MockBox.body(box.request()));
        assertEquals("filter%5BENTITY_ID%5D=SOURCE&auth=ACCESS1", MockBox.body(box.request()));
    }

    @Test
    void aBatchEncodesEachCommandAsAQueryAndSortsAnswersFromErrors() throws Exception {
        box.answer("""
                {"result": {"result": {"show": true}, "result_error": {"hide": {"error": "ERROR_CORE",
                  "error_description": "Call is not found"}}, "result_total": [], "result_next": [], "result_time": {}}}""");
        Batch.Result r = box.client.batch(new Batch()
                .add("show", "telephony.externalcall.show", Params.of().put("CALL_ID", "c1").put("USER_ID", List.of(5)))
                .add("hide", "telephony.externalcall.hide", Params.of().put("CALL_ID", "c2").put("USER_ID", List.of(7))),
                false);
        RecordedRequest req = box.request();
        assertEquals("/rest/batch.json", req.getTarget());
        assertEquals("halt=0&cmd%5Bshow%5D=telephony.externalcall.show%3FCALL_ID%3Dc1%26USER_ID%255B%255D%3D5"
                + "&cmd%5Bhide%5D=telephony.externalcall.hide%3FCALL_ID%3Dc2%26USER_ID%255B%255D%3D7&auth=ACCESS1",
                MockBox.body(req));
        assertTrue(r.results().get("show").asBoolean());
        assertEquals(new Batch.Result.Error("ERROR_CORE", "Call is not found"), r.errors().get("hide"));
    }

    @Test
    void anExpiredTokenIsRenewedAtTheTokenEndpointAndTheRequestRetriedOnce() throws Exception {
        box.answer(401, "{\"error\": \"expired_token\", \"error_description\": \"The access token provided has expired.\"}");
        box.answer("{\"access_token\": \"ACCESS2\", \"refresh_token\": \"REFRESH2\", \"expires_in\": 3600, "
                + "\"member_id\": \"member1\", \"domain\": \"crm.corp.local\"}");
        box.answer("{\"result\": true}");
        telephony.show("c1", List.of(5));

        assertEquals("CALL_ID=c1&USER_ID%5B%5D=5&auth=ACCESS1", MockBox.body(box.request()));
        RecordedRequest renew = box.request();
        // review F14: the secrets travel in the body, where no access log writes them down
        assertEquals("POST", renew.getMethod());
        assertEquals("/oauth/token/", renew.getTarget());
        assertTrue(renew.getHeaders().get("Content-Type").startsWith("application/x-www-form-urlencoded"));
        assertEquals("grant_type=refresh_token&client_id=local.test.1&client_secret=client-secret-42"
                + "&refresh_token=REFRESH1", MockBox.body(renew));
        assertEquals("CALL_ID=c1&USER_ID%5B%5D=5&auth=ACCESS2", MockBox.body(box.request()));
        assertEquals("VALID", box.client.status().auth().state());
    }

    @Test
    void theRenewalJobRenewsOnlyATokenCloseToItsExpiryAndSaysWhenItCannot() throws Exception {
        // ACCESS1 lives an hour: a job looking 30 minutes ahead leaves it alone and sends nothing
        assertTrue(box.client.renewTokensAhead(Duration.ofMinutes(30)).startsWith("the access token is good until"));

        box.answer("{\"access_token\": \"ACCESS2\", \"refresh_token\": \"REFRESH2\", \"expires_in\": 3600, "
                + "\"member_id\": \"member1\", \"domain\": \"crm.corp.local\"}");
        String done = box.client.renewTokensAhead(Duration.ofMinutes(70));
        assertTrue(done.startsWith("access token renewed"), done);
        RecordedRequest renew = box.request();
        assertEquals("/oauth/token/", renew.getTarget(), "the first request of the test is the renewal");
        assertEquals("grant_type=refresh_token&client_id=local.test.1&client_secret=client-secret-42"
                + "&refresh_token=REFRESH1", MockBox.body(renew));
        box.answer("{\"result\": true}");
        telephony.show("c1", List.of(5));
        assertEquals("CALL_ID=c1&USER_ID%5B%5D=5&auth=ACCESS2", MockBox.body(box.request()), "the renewed token used");

        // the OAuth server away: the job's run fails (its error in /health's jobs), the token still in use is kept
        box.answer(503, "<html>OAuth server unavailable</html>");
        BoxException e = assertThrows(BoxException.class, () -> box.client.renewTokensAhead(Duration.ofMinutes(70)));
        assertTrue(e.getMessage().contains("cannot be renewed"), e.getMessage());
        assertFalse(e.getMessage().contains("REFRESH2") || e.getMessage().contains("client-secret-42"), e.getMessage());
        assertEquals("REFRESH_FAILED", box.client.status().auth().state());
        box.request();
        box.answer("{\"result\": true}");
        telephony.show("c2", List.of(5));
        assertEquals("CALL_ID=c2&USER_ID%5B%5D=5&auth=ACCESS2", MockBox.body(box.request()));
    }

    @Test
    void aTokenThatCannotBeRenewedSaysSoAndWhatToDo() {
        box.answer(401, "{\"error\": \"expired_token\"}");
        box.answer(503, "<html>OAuth server unavailable</html>");
        BoxException e = assertThrows(BoxException.class, () -> telephony.show("c1", List.of(5)));
        assertTrue(e instanceof BoxException.Auth, e.toString());
        BoxClient.Status status = box.client.status();
        assertEquals("REFRESH_FAILED", status.auth().state());
        assertTrue(status.auth().detail().contains("token-endpoint"), status.auth().detail());
        assertFalse(e.getMessage().contains("REFRESH1") || e.getMessage().contains("client-secret-42"), e.getMessage());
    }

    @Test
    void errorsAreSortedIntoRetryableAuthAndFatal() {
        box.answer(503, "{\"error\": \"QUERY_LIMIT_EXCEEDED\", \"error_description\": \"Too many requests\"}");
        box.answer(400, "{\"error\": \"ERROR_CORE\", \"error_description\": \"Call is not found (call should be registered prior to finishing)\"}");
        box.answer(401, "{\"error\": \"WRONG_AUTH_TYPE\", \"error_description\": \"Current authorization type is denied for this method\"}");
        box.answer(502, "<html>Bad Gateway</html>");
        box.answer(400, "{\"error\": \"\", \"error_description\": \"Wrong file extension. Only wav and mp3 are allowed\"}");
        box.server.enqueue(new MockResponse.Builder().code(403).body("<html>403 Forbidden</html>").build());
        double rateBefore = box.client.status().allowedRatePerSecond();

        BoxException limit = assertThrows(BoxException.class, () -> telephony.show("c1", List.of(5)));
        assertTrue(limit instanceof BoxException.Retryable && limit.code().equals("QUERY_LIMIT_EXCEEDED"), limit.toString());
        assertEquals(rateBefore / 2, box.client.status().allowedRatePerSecond(), 0.01, "the client slows down");

        BoxException bad = assertThrows(BoxException.class,
                () -> telephony.finish(new TelephonyApi.Finish("nope", 5, null, 0, "304", null, null, true)));
        assertTrue(bad instanceof BoxException.Fatal, bad.toString());
        assertTrue(bad.getMessage().contains("telephony.externalcall.finish") && bad.getMessage().contains("Call is not found"),
                bad.getMessage());

        assertTrue(assertThrows(BoxException.class, () -> telephony.show("c1", List.of(5))) instanceof BoxException.Auth);
        assertTrue(assertThrows(BoxException.class, () -> telephony.show("c1", List.of(5))) instanceof BoxException.Retryable);
        BoxException emptyCode = assertThrows(BoxException.class, () -> telephony.show("c1", List.of(5)));
        assertTrue(emptyCode instanceof BoxException.Fatal && emptyCode.getMessage().contains("Only wav and mp3"),
                emptyCode.getMessage());
        BoxException proxy = assertThrows(BoxException.class, () -> telephony.show("c1", List.of(5)));
        assertTrue(proxy instanceof BoxException.Refused, "a 4xx without JSON is the box's web server's: " + proxy);
    }

    @Test
    void anAnswerThatNeverComesIsARetryableTimeout(@TempDir Path other) {
        try (MockBox slow = MockBox.withTimeout(other, Duration.ofMillis(300))) {
            slow.server.enqueue(new MockResponse.Builder().body("{\"result\": true}")
                    .headersDelay(2, java.util.concurrent.TimeUnit.SECONDS).build());
            BoxException e = assertThrows(BoxException.class, () -> slow.client.call("profile", Params.of()));
            assertTrue(e instanceof BoxException.Retryable && e.code().equals("TIMEOUT"), e.toString());
        }
    }

    @Test
    void aDroppedConnectionIsRetryable() {
        box.server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        BoxException e = assertThrows(BoxException.class, () -> box.client.call("profile", Params.of()));
        assertTrue(e instanceof BoxException.Retryable, e.toString());
    }

    @Test
    void aBoxThatIsNotThereIsRetryableAndShowsInStatus() {
        box.server.close();
        BoxException e = assertThrows(BoxException.class, () -> box.client.call("app.info", Params.of()));
        assertTrue(e instanceof BoxException.Retryable && e.code().equals("UNREACHABLE"), e.toString());
        assertEquals("app.info", box.client.status().lastFailure().method());
    }

    @Test
    void webhookAuthPutsTheSecretInThePathAndNoTokenInTheBody(@TempDir Path other) throws Exception {
        try (MockBox hook = MockBox.webhook(other)) {
            hook.answer("{\"result\": {\"CALL_ID\": \"c9\"}}");
            new TelephonyApi(hook.client).register(new TelephonyApi.Register(1, null, "+79161112233",
                    TelephonyApi.CallType.INCOMING, null, false, null, null, "pbx1:9.0", true, null, null));
            RecordedRequest req = hook.request();
            assertEquals("/rest/1/s3cr3t/telephony.externalcall.register.json", req.getTarget());
            assertFalse(MockBox.body(req).contains("auth="), MockBox.body(req));
        }
    }

    @Test
    void aBoxCertificateForAnotherHostIsRefused(@TempDir Path other) {
        try (MockBox impostor = MockBox.withCertificateFor(other, "crm.other.local")) {
            impostor.answer("{\"result\": true}");
            BoxException e = assertThrows(BoxException.class, () -> impostor.client.call("profile", Params.of()));
            assertTrue(e instanceof BoxException.Retryable, e.toString());
            assertTrue(e.getMessage().contains("TLS"), e.getMessage());
            assertEquals(0, impostor.server.getRequestCount(), "nothing reached a box whose name does not match");
        }
    }

    @Test
    void noTokenOrSecretAppearsInStatusOrErrors() {
        box.answer(400, "{\"error\": \"ERROR_ARGUMENT\", \"error_description\": \"Argument 'CALL_ID' is null\"}");
        BoxException e = assertThrows(BoxException.class, () -> telephony.hide(null, List.of(5)));
        String everything = e.getMessage() + box.client.status();
        assertFalse(everything.contains("ACCESS1") || everything.contains("REFRESH1") || everything.contains("APPTOKEN"),
                everything);
        assertNull(box.client.status().lastSuccess());
        assertNotNull(box.client.status().lastFailure());
    }

    /**
     * Review F6b: a batch answer without a word on one register used to mark it done without a CALL_ID, so every
     * later command of that call became a dead letter for good. Now that register goes again.
     */
    @Test
    void aBatchAnswerSilentOnACommandLeavesItToGoAgain() throws Exception {
        box.answer("""
                {"result": {"result": {"c0": {"CALL_ID": "externalCall.1"}}, "result_error": [],
                            "result_total": [], "result_next": [], "result_time": []}}""");
        BitrixBoxGateway gateway = new BitrixBoxGateway(box.client, new UserDirectory(crm, Clock.systemUTC()));
        CallKey k1 = new io.b24bridge.calls.CallKey("pbx1", "1.0");
        CallKey k2 = new io.b24bridge.calls.CallKey("pbx1", "2.0");
        List<BoxGateway.BatchAnswer> answers = gateway.batch(List.of(
                new BoxGateway.BatchItem(register(k1), null),
                new BoxGateway.BatchItem(register(k2), null)));
        assertEquals("externalCall.1", answers.get(0).registration().callId());
        assertEquals(BoxGateway.Failure.Kind.RETRY_LATER, answers.get(1).failure().kind(),
                "no answer for the second register: it is not done");
    }

    private static CrmCommand.Register register(CallKey k) {
        return new CrmCommand.Register(k, new CrmCommand.UserRef(5, "101"),
                "+79161112233", false, Instant.parse("2026-11-24T09:00:00Z"), true, "CALL", "74951234567",
                true);
    }
}
