package io.b24bridge.testkit.bitrix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * "Behind the module": the served PHP box module (box-module/serve, stubs/BoxStub/Behind.php) keeps what the module
 * does — its tokens, its queue, its methods, the box's auth chain — and hands the box's own REST methods and the call
 * rows its b24bridge.call.find reads on to this emulator, so the box's behaviour is modelled once. Requests carry the
 * shared key ({@code X-Behind-Key}) and the identity the box's auth chain established: auth type, client_id, user,
 * scope.
 * <pre>
 *   POST /_behind/rest/&lt;method&gt;      the method, run for that caller
 *   GET  /_behind/calls?table=open|finished&amp;EXTERNAL_CALL_ID=…&amp;owner=app:&lt;client_id&gt;
 *        the rows of b_voximplant_call (open) or b_voximplant_statistic (finished) of that application
 * </pre>
 */
final class BehindModule {

    private static final DateTimeFormatter PHP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final byte[] key;
    private final RestRouter router;
    private final CrmState state;
    private final ObjectMapper json;
    private final ZoneId zone;

    BehindModule(String key, RestRouter router, CrmState state, ObjectMapper json, ZoneId zone) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.router = router;
        this.state = state;
        this.json = json;
        this.zone = zone;
    }

    void handle(ServerRequest req, ServerResponse res) {
        String presented = req.headers().first(HeaderNames.create("X-Behind-Key")).orElse("");
        if (!MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8))) {
            send(res, 403, Map.of("error", "ACCESS_DENIED", "error_description", "not the module's box"));
            return;
        }
        String path = req.path().path();
        if (path.startsWith("/_behind/rest/")) {
            router.behind(req, res, path.substring("/_behind/rest/".length()), caller(req));
        } else if (path.equals("/_behind/calls")) {
            calls(req, res);
        } else {
            send(res, 404, Map.of("error", "NOT_FOUND", "error_description", "Not found"));
        }
    }

    /** Who the box's auth chain said the caller is: only application auth comes this way (the module's tokens). */
    private static Caller caller(ServerRequest req) {
        String type = header(req, "X-Behind-Auth-Type");
        String client = header(req, "X-Behind-Client");
        int user = Integer.parseInt(header(req, "X-Behind-User").isEmpty() ? "0" : header(req, "X-Behind-User"));
        Set<String> scopes = Arrays.stream(header(req, "X-Behind-Scope").split(",")).map(String::strip)
                .filter(x -> !x.isEmpty()).collect(Collectors.toSet());
        if (!type.equals("oauth") || client.isEmpty()) {
            throw new IllegalArgumentException("behind the module only application auth comes: " + type);
        }
        // the request's token: an uploadUrl carries it (CRestUtil::getSpecialUrl, rest_util.php:989-1035)
        String token = header(req, "X-Behind-Token");
        return new Caller(Caller.Kind.APPLICATION, user, "app:" + client, scopes, token.isEmpty() ? null : token, null);
    }

    private void calls(ServerRequest req, ServerResponse res) {
        String table = req.query().first("table").orElse("");
        String externalId = req.query().first("EXTERNAL_CALL_ID").orElse("");
        String owner = req.query().first("owner").orElse("");
        boolean finished = table.equals("finished");
        List<Map<String, Object>> rows = state.tx(s -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Call c : s.calls.values()) {
                if (c.finished == finished && externalId.equals(c.externalCallId) && c.principal.equals(owner)) {
                    out.add(finished ? statistic(c) : open(c));
                }
            }
            return out;
        });
        send(res, 200, Map.of("rows", rows));
    }

    /** A row of b_voximplant_call (voximplant/lib/rest/helper.php registerExternalCall(), $callFields). */
    private Map<String, Object> open(Call c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CALL_ID", c.callId);
        m.put("EXTERNAL_CALL_ID", c.externalCallId);
        m.put("USER_ID", c.userId);
        m.put("CALLER_ID", c.callerId);
        m.put("INCOMING", c.type);
        m.put("DATE_CREATE", OffsetDateTime.ofInstant(c.startDate, zone).format(PHP_DATE));
        return m;
    }

    /** A row of b_voximplant_statistic ($statisticRecord in helper.php finishExternalCall()). */
    private Map<String, Object> statistic(Call c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CALL_ID", c.callId);
        m.put("EXTERNAL_CALL_ID", c.externalCallId);
        m.put("PORTAL_USER_ID", c.finishUserId == null ? c.userId : c.finishUserId);
        m.put("PHONE_NUMBER", c.callerId);
        m.put("INCOMING", c.type);
        m.put("CALL_START_DATE", OffsetDateTime.ofInstant(c.startDate, zone).format(PHP_DATE));
        m.put("CALL_DURATION", c.duration == null ? 0 : c.duration);
        m.put("CALL_FAILED_CODE", c.statusCode);
        m.put("CALL_VOTE", c.vote);
        m.put("CRM_ENTITY_TYPE", c.crmEntityType);
        m.put("CRM_ENTITY_ID", c.crmEntityId);
        m.put("CRM_ACTIVITY_ID", c.activityId);
        return m;
    }

    private static String header(ServerRequest req, String name) {
        return req.headers().first(HeaderNames.create(name)).orElse("").strip();
    }

    private void send(ServerResponse res, int status, Object body) {
        try {
            res.status(Status.create(status));
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.send(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
