package io.b24bridge.doctor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.bitrix.OutgoingLinesCheck;

/**
 * The doctor's {@code bitrix24.click-lines} line: whether every user with an extension has this appliance's line as
 * their outgoing line, since the box sends a click only to the owner of that line ({@link OutgoingLinesCheck}). Taken
 * from the running appliance's /health, or, when it is stopped, from one look at the box. A WARN: calls still work,
 * those users' clicks do not reach the appliance.
 */
final class ClickLinesFinding {

    static final String CHECK = "bitrix24.click-lines";
    private static final String FIX = ": set their outgoing line to b24bridge's in Bitrix24's telephony settings "
            + "(the user's default number, or the portal's default number for outgoing calls)";

    private ClickLinesFinding() {
    }

    /** From one look at the box (the appliance is stopped). */
    static Finding of(OutgoingLinesCheck.Report r) {
        if (r.error() != null) {
            return Finding.warn(CHECK, "whose clicks reach the appliance cannot be checked: " + r.error());
        }
        List<String> named = r.elsewhere().stream().limit(OutgoingLinesCheck.NAMED)
                .map(OutgoingLinesCheck.Elsewhere::words).toList();
        return words(r.usersWithExtension(), r.elsewhere().size(), named, r.portalLine(), r.portalLineOurs(),
                r.unknown().size());
    }

    /** From the running appliance's {@code outgoingLines} part of /health; null when it has none to tell. */
    static Finding fromHealth(JsonNode part) {
        String state = part.path("state").asText("");
        if (part.isMissingNode() || state.isEmpty() || "NOT_CONFIGURED".equals(state)) {
            return null;
        }
        JsonNode f = part.path("facts");
        if (f.has("error")) {
            return Finding.warn(CHECK, "whose clicks reach the appliance cannot be checked: " + f.path("error").asText());
        }
        if (!f.has("elsewhereCount")) {
            return Finding.ok(CHECK, part.path("detail").asText("being checked by the running appliance"));
        }
        List<String> named = new ArrayList<>();
        f.path("elsewhere").forEach(n -> named.add(n.asText()));
        return words(f.path("usersWithExtension").asInt(), f.path("elsewhereCount").asInt(), named,
                f.path("portalLine").asText(), f.path("portalLineOurs").asBoolean(), f.path("unknownCount").asInt());
    }

    private static Finding words(int users, int elsewhere, List<String> named, String portalLine,
                                 boolean portalOurs, int unknown) {
        String portal = "the portal's default outgoing line is " + (portalLine == null ? "unknown" : portalLine)
                + (portalOurs ? " (b24bridge's)" : " (not b24bridge's)");
        if (elsewhere > 0) {
            return Finding.warn(CHECK, elsewhere + " of " + users + " user(s) with an extension would have their "
                    + "clicks sent to another line's owner, never to this appliance: " + String.join("; ", named)
                    + (elsewhere > named.size() ? "; …" : "") + FIX + "; " + portal);
        }
        if (unknown > 0) {
            return Finding.warn(CHECK, unknown + " user(s) have no outgoing line of their own and " + portal
                    + ": give the application the right to read lines, or set their line");
        }
        return Finding.ok(CHECK, "the " + users + " user(s) with an extension click through b24bridge's line; "
                + portal);
    }
}
