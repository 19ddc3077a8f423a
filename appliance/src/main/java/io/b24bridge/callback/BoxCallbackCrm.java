package io.b24bridge.callback;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxException;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.Params;
import io.b24bridge.bitrix.TelephonyApi;

/** {@link CallbackCrm} over the box's REST (contract §2 and §4). */
public final class BoxCallbackCrm implements CallbackCrm {

    private final BoxClient client;
    private final TelephonyApi telephony;
    private final CrmApi crm;

    public BoxCallbackCrm(BoxClient client) {
        this.client = client;
        this.telephony = new TelephonyApi(client);
        this.crm = new CrmApi(client);
    }

    /** How long a click waits for the client's CRM name before its operator's phone rings without it. */
    static final Duration NAME_WAIT = Duration.ofSeconds(1);

    /** The entity's CRM name, waited for {@link #NAME_WAIT} at most; empty when the box does not say in time. */
    public Optional<String> nameOf(String type, int id) {
        try {
            return read(type, id, NAME_WAIT).map(Entity::name).filter(n -> !n.isBlank());
        } catch (Failed e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Entity> entity(String type, int id) throws Failed {
        return read(type, id, null);
    }

    private Optional<Entity> read(String type, int id, Duration timeout) throws Failed {
        JsonNode e;
        try {
            String method = "crm." + type.toLowerCase(Locale.ROOT) + ".get";
            e = timeout == null ? client.call(method, Params.of().put("id", id))
                    : client.call(method, Params.of().put("id", id), timeout);
        } catch (BoxException.Fatal ex) {
            return Optional.empty(); // "Not found": the form's entity is gone; the fallback user takes the callback
        } catch (BoxException ex) {
            throw failed("crm." + type.toLowerCase(Locale.ROOT) + ".get", ex);
        }
        String name = type.equals("CONTACT")
                ? (e.path("NAME").asText("") + " " + e.path("LAST_NAME").asText("")).strip()
                : e.path("TITLE").asText("").strip();
        int responsible = e.path("ASSIGNED_BY_ID").asInt(0);
        return Optional.of(new Entity(type, id, name, responsible > 0 ? responsible : null));
    }

    @Override
    public String register(int userId, CallbackRequest r, String externalCallId, Instant startedAt) throws Failed {
        try {
            return telephony.register(new TelephonyApi.Register(userId, null, r.crmNumber(),
                    TelephonyApi.CallType.CALLBACK, startedAt.atOffset(ZoneOffset.UTC), false, null,
                    r.lineNumber().isEmpty() ? null : r.lineNumber(), externalCallId, false, r.entityType(),
                    r.entityId())).callId();
        } catch (BoxException e) {
            throw failed(TelephonyApi.REGISTER, e);
        }
    }

    @Override
    public void finishMissed(String callId, int userId, String why) throws Failed {
        try {
            telephony.finish(new TelephonyApi.Finish(callId, userId, null, 0, "304", why, null, true));
        } catch (BoxException e) {
            throw failed(TelephonyApi.FINISH, e);
        }
    }

    @Override
    public Integer addTask(String title, String description, int responsibleId, Instant deadline,
                           List<String> bindings) throws Failed {
        try {
            return crm.addTask(title, description, responsibleId, OffsetDateTime.ofInstant(deadline, ZoneOffset.UTC),
                    bindings);
        } catch (BoxException e) {
            throw failed("tasks.task.add", e);
        }
    }

    private static Failed failed(String method, BoxException e) {
        return new Failed(method + ": " + e.getMessage(), !(e instanceof BoxException.Fatal), e);
    }
}
