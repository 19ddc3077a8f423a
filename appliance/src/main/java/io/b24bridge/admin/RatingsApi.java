package io.b24bridge.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.outbox.OperatorRatingsStore;

/**
 * The callers' ratings per operator under {@code /api/ratings}: {@code GET /?since=2026-11-01} (a date, from
 * 00:00 UTC, or an instant; default: the last 30 days) gives, per extension that talked, how many calls were
 * rated, the average and how many of each vote. What the dashboard will show; usable now by scripts. An
 * instant's colons must be sent as %3A: Helidon 4.2's URI check refuses a raw ':' in a query with a bare 400
 * (helidon-io/helidon#9862), hence the plain date form.
 */
public final class RatingsApi implements HttpService {

    static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    /** The latest instant the database takes (its TIMESTAMP ends with the year 9999). */
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private final OperatorRatingsStore ratings;
    private final Clock clock;
    private final JsonResponses json;

    public RatingsApi(OperatorRatingsStore ratings, Clock clock, ObjectMapper mapper) {
        this.ratings = ratings;
        this.clock = clock;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::byOperator);
    }

    private void byOperator(ServerRequest req, ServerResponse res) {
        Instant since;
        String given = req.query().first("since").orElse(null);
        try {
            since = given == null ? clock.instant().minus(DEFAULT_PERIOD)
                    : given.length() == 10 ? LocalDate.parse(given).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(given);
            if (since.isBefore(Instant.EPOCH) || since.isAfter(LATEST)) {
                throw new DateTimeParseException("out of range", given, 0);
            }
        } catch (DateTimeParseException e) {
            json.error(res, Status.BAD_REQUEST_400, "since: '" + given
                    + "' is neither a date (2026-11-01, from 00:00 UTC) nor an instant (2026-11-01T09%3A00%3A00Z)");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("since", since.toString());
        body.put("operators", ratings.byOperator(since));
        json.send(res, Status.OK_200, body);
    }
}
