package io.b24bridge.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.bitrix.BoxException;
import io.b24bridge.bitrix.BoxLists;

/**
 * The box's lists the settings pick from, read-only, under {@code /api/box}: {@code GET /lead-sources}
 * ({@code {"leadSources": [{id, name}]}}) and {@code GET /users} ({@code {"users": [{id, name, extension}]}}).
 * Without a box, or while it cannot be asked, 503 with the reason: the panel then lets the id be typed.
 */
public final class BoxListsApi implements HttpService {

    private final Optional<BoxLists> lists;
    private final JsonResponses json;

    public BoxListsApi(Optional<BoxLists> lists, ObjectMapper mapper) {
        this.lists = lists;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/lead-sources", (req, res) -> answer(res, "leadSources", BoxLists::leadSources))
                .get("/users", (req, res) -> answer(res, "users", BoxLists::users));
    }

    @FunctionalInterface
    private interface ListOf<T> {
        List<T> of(BoxLists lists) throws BoxException;
    }

    private <T> void answer(ServerResponse res, String name, ListOf<T> list) {
        if (lists.isEmpty()) {
            json.error(res, Status.SERVICE_UNAVAILABLE_503, "no Bitrix24 box is configured: type the id");
            return;
        }
        try {
            json.send(res, Status.OK_200, Map.of(name, list.of(lists.get())));
        } catch (BoxException e) {
            json.error(res, Status.SERVICE_UNAVAILABLE_503, "the Bitrix24 box cannot be asked now ("
                    + e.getMessage() + "): type the id, or try again in a minute");
        }
    }
}
