package io.b24bridge.bitrix;

import java.net.URI;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The telephony methods the appliance uses (contract §2), with typed requests and answers. */
public final class TelephonyApi {

    private final BoxClient client;

    public TelephonyApi(BoxClient client) {
        this.client = client;
    }

    /** Bitrix24 call types (register TYPE). */
    public enum CallType {
        OUTGOING(1), INCOMING(2), INCOMING_REDIRECTED(3), CALLBACK(4), INFORMATION(5);

        private final int code;

        CallType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /**
     * telephony.externalcall.register: the call begins in Bitrix24 (and the card pops for {@code userId}).
     *
     * @param userId         who the call is for (or {@code userPhoneInner})
     * @param userPhoneInner the user's extension, when the user id is not known
     * @param externalCallId the PBX's id of this call (PBX id + Linkedid): a retried register returns the same CALL_ID
     */
    public record Register(Integer userId, String userPhoneInner, String phoneNumber, CallType type,
                           OffsetDateTime startedAt, boolean crmCreate, String crmSource, String lineNumber,
                           String externalCallId, boolean show, String crmEntityType, Integer crmEntityId) {
    }

    /** What register answered. */
    public record Registered(String callId, String crmEntityType, Integer crmEntityId, Integer createdLeadId,
                             String leadCreationError) {
    }

    public Registered register(Register r) throws BoxException {
        return registered(client.call(REGISTER, params(r)));
    }

    /** A request ready to send alone or in a batch: the method and its parameters. */
    public record Request(String method, Params params) {
    }

    public static final String REGISTER = "telephony.externalcall.register";
    public static final String FINISH = "telephony.externalcall.finish";
    public static final String SHOW = "telephony.externalcall.show";
    public static final String HIDE = "telephony.externalcall.hide";

    public static Params params(Register r) {
        return Params.of()
                .put("USER_ID", r.userId())
                .put("USER_PHONE_INNER", r.userId() == null ? r.userPhoneInner() : null)
                .put("PHONE_NUMBER", r.phoneNumber())
                .put("TYPE", r.type().code())
                .put("CALL_START_DATE", r.startedAt() == null ? null
                        : r.startedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("CRM_CREATE", r.crmCreate())
                .put("CRM_SOURCE", r.crmSource())
                .put("CRM_ENTITY_TYPE", r.crmEntityType())
                .put("CRM_ENTITY_ID", r.crmEntityId())
                .put("SHOW", r.show())
                .put("LINE_NUMBER", r.lineNumber())
                .put("EXTERNAL_CALL_ID", r.externalCallId());
    }

    /** Reads register's answer (alone or from a batch). */
    public static Registered registered(JsonNode res) throws BoxException.Fatal {
        String callId = res.path("CALL_ID").asText(null);
        if (callId == null || callId.isEmpty()) {
            throw new BoxException.Fatal("telephony.externalcall.register", "NO_CALL_ID",
                    "Bitrix24 telephony.externalcall.register answered without CALL_ID", null);
        }
        return new Registered(callId, text(res, "CRM_ENTITY_TYPE"), integer(res, "CRM_ENTITY_ID"),
                integer(res, "CRM_CREATED_LEAD"), text(res, "LEAD_CREATION_ERROR"));
    }

    /**
     * telephony.externalcall.finish: the call ends; Bitrix24 makes the call activity.
     *
     * @param statusCode 200, 304, 486, 603, … (contract §2)
     * @param vote       the caller's rating 1–5, or null
     */
    public record Finish(String callId, Integer userId, String userPhoneInner, int durationSeconds,
                         String statusCode, String failedReason, Integer vote, boolean addToChat) {
    }

    /** What finish answered: the statistics record. */
    public record Finished(String callId, Integer activityId, String crmEntityType, Integer crmEntityId) {
    }

    public Finished finish(Finish f) throws BoxException {
        JsonNode res = client.call(FINISH, params(f));
        return new Finished(res.path("CALL_ID").asText(f.callId()), integer(res, "CRM_ACTIVITY_ID"),
                text(res, "CRM_ENTITY_TYPE"), integer(res, "CRM_ENTITY_ID"));
    }

    public static Params params(Finish f) {
        return Params.of()
                .put("CALL_ID", f.callId())
                .put("USER_ID", f.userId())
                .put("USER_PHONE_INNER", f.userId() == null ? f.userPhoneInner() : null)
                .put("DURATION", f.durationSeconds())
                .put("STATUS_CODE", f.statusCode())
                .put("FAILED_REASON", f.failedReason())
                .put("VOTE", f.vote())
                .put("ADD_TO_CHAT", f.addToChat());
    }

    /** telephony.externalcall.show: the card pops for these users. */
    public void show(String callId, List<Integer> userIds) throws BoxException {
        client.call(SHOW, cardParams(callId, userIds));
    }

    public static Params cardParams(String callId, List<Integer> userIds) {
        return Params.of().put("CALL_ID", callId).put("USER_ID", userIds);
    }

    /** telephony.externalcall.hide: the card closes for these users. */
    public void hide(String callId, List<Integer> userIds) throws BoxException {
        client.call(HIDE, cardParams(callId, userIds));
    }

    public static final String ATTACH_RECORD = "telephony.externalCall.attachRecord";

    /**
     * telephony.externalCall.attachRecord with the file itself, streamed from disk (never whole in memory), after
     * finish; a repeat replaces the earlier record, so a retry is harmless. The two-step flow first: for FILENAME
     * alone the box hands out an upload URL (voximplant lib/rest/helper.php, attachRecord: before any check of the
     * name), to which the file goes as it is, multipart; a box that hands out none gets FILE_CONTENT, the file in
     * base64 streamed into the form. Only wav and mp3 are accepted.
     *
     * @return the box's FILE_ID
     */
    public Integer attachRecord(String callId, String filename, Path file) throws BoxException {
        Params named = Params.of().put("CALL_ID", callId).put("FILENAME", filename);
        JsonNode first = client.call(ATTACH_RECORD, named);
        String uploadUrl = text(first, "uploadUrl");
        if (uploadUrl == null) {
            return integer(client.callWithFile(ATTACH_RECORD, named, "FILE_CONTENT", file), "FILE_ID");
        }
        String field = text(first, "fieldName") == null ? "file" : text(first, "fieldName");
        try {
            return integer(client.upload(URI.create(uploadUrl), field, filename, file), "FILE_ID");
        } catch (BoxException.Auth e) {
            if (!ErrorClassifier.EXPIRED_TOKEN.equals(e.code())) {
                throw e;
            }
            // the URL carries the access token of the first step, which expired in between: once more, anew
            JsonNode again = client.call(ATTACH_RECORD, named);
            return integer(client.upload(URI.create(text(again, "uploadUrl")), field, filename, file), "FILE_ID");
        }
    }

    /** attachRecord's parameters with a small file inside, for a batch's command (a large one is streamed alone). */
    public static Params recordParams(String callId, String filename, byte[] content) {
        return Params.of().put("CALL_ID", callId).put("FILENAME", filename)
                .put("FILE_CONTENT", Base64.getEncoder().encodeToString(content));
    }

    /** telephony.externalCall.attachRecord with a URL the box downloads the file from. */
    public void attachRecordUrl(String callId, String filename, String url) throws BoxException {
        client.call(ATTACH_RECORD, Params.of()
                .put("CALL_ID", callId).put("FILENAME", filename).put("RECORD_URL", url));
    }

    /** One CRM match of a number (telephony.externalCall.searchCrmEntities). */
    public record CrmMatch(String entityType, int entityId, String name, Integer responsibleId,
                           String responsibleExtension, String responsibleMobile, String responsibleWorkday) {
    }

    /** Who a number belongs to in the CRM, with each match's responsible and their extension and mobile. */
    public List<CrmMatch> searchCrmEntities(String phoneNumber) throws BoxException {
        JsonNode res = client.call("telephony.externalCall.searchCrmEntities",
                Params.of().put("PHONE_NUMBER", phoneNumber));
        List<CrmMatch> matches = new ArrayList<>();
        for (JsonNode m : res) {
            JsonNode by = m.path("ASSIGNED_BY");
            matches.add(new CrmMatch(m.path("CRM_ENTITY_TYPE").asText(), m.path("CRM_ENTITY_ID").asInt(),
                    text(m, "NAME"), integer(m, "ASSIGNED_BY_ID"), text(by, "USER_PHONE_INNER"),
                    text(by, "PERSONAL_MOBILE"), text(by, "TIMEMAN_STATUS")));
        }
        return matches;
    }

    /** telephony.externalLine.add: makes a line (a DID) known to Bitrix24; returns its id. */
    public Integer addExternalLine(String number, String name, boolean crmAutoCreate) throws BoxException {
        JsonNode res = client.call("telephony.externalLine.add", Params.of()
                .put("NUMBER", number).put("NAME", name).put("CRM_AUTO_CREATE", crmAutoCreate ? "Y" : "N"));
        return res.isInt() ? res.asInt() : integer(res, "ID");
    }

    /** The lines this application registered (telephony.externalLine.get). */
    public List<String> externalLines() throws BoxException {
        JsonNode res = client.call("telephony.externalLine.get", Params.of());
        List<String> numbers = new ArrayList<>();
        for (JsonNode line : res) {
            numbers.add(line.path("NUMBER").asText());
        }
        return numbers;
    }

    /** Where {@code voximplant.user.get} takes at most this many users at once (one query per page of ids). */
    static final int USERS_PER_ASK = 50;

    /**
     * Each user's own outgoing line ({@code UF_VI_BACKPHONE}, empty when they have none and the portal's default
     * applies), by {@code voximplant.user.get}: REST {@code user.get} never returns that field (rest/lib/api/user.php,
     * $allowedUserFields and checkAllowedFields let only the listed fields and UF_USR_* through), so this method of the
     * telephony scope is the one that tells it ({@code voximplant/classes/general/vi_rest.php}, getUser: DEFAULT_LINE =
     * UF_VI_BACKPHONE). It also answers each user's SIP password: only ID and DEFAULT_LINE are read here, the rest of
     * the answer is dropped unread.
     */
    public java.util.Map<Integer, String> userOutgoingLines(List<Integer> userIds) throws BoxException {
        java.util.Map<Integer, String> out = new java.util.LinkedHashMap<>();
        for (int from = 0; from < userIds.size(); from += USERS_PER_ASK) {
            List<Integer> page = userIds.subList(from, Math.min(userIds.size(), from + USERS_PER_ASK));
            JsonNode res = client.call("voximplant.user.get", Params.of().put("USER_ID", page));
            for (JsonNode u : res) {
                Integer id = integer(u, "ID");
                if (id != null) {
                    String line = text(u, "DEFAULT_LINE");
                    out.put(id, line == null ? "" : line);
                }
            }
        }
        return out;
    }

    /**
     * The portal's default outgoing line ({@code voximplant.line.outgoing.get} → {@code CVoxImplantConfig::GetPortalNumber},
     * vi_config.php:60-70: option voximplant/portal_number, or LINK_BASE_NUMBER when unset or no longer a line). The box
     * asks for the right to modify lines (vi_rest.php, lineOutgoingGet).
     */
    public String portalOutgoingLine() throws BoxException {
        JsonNode res = client.call("voximplant.line.outgoing.get", Params.of());
        return res.isValueNode() ? res.asText() : "";
    }

    /**
     * This application's id on the box ({@code app.info} ID, rest/classes/general/rest_provider.php appInfo): its
     * pseudo-line is {@code REST_APP:<id>} (vi_config.php:15,251-283). Null when the caller is no application (a
     * webhook is answered SCOPE and LICENSE only).
     */
    public Integer applicationId() throws BoxException {
        return integer(client.call("app.info", Params.of()), "ID");
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
