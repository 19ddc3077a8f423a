package io.b24bridge.bitrix;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * Whose clicks would go to another application. The box sends OnExternalCallStart only to the application that owns
 * the clicking user's outgoing line: {@code Helper::startCall} takes {@code getExternalCallHandler($userId)}, the
 * user's outgoing line when its TYPE is REST (voximplant/lib/rest/helper.php:869-875,884-915), and that line is the
 * user's {@code UF_VI_BACKPHONE}, else the portal's default, option voximplant/portal_number
 * (voximplant/classes/general/vi_user.php:222-241,428-460; vi_config.php:60-70). A REST line is
 * {@code REST_APP:<application id>} or one of that application's external lines (vi_config.php:251-283). So a user
 * with an extension whose line is another application's, a SIP trunk's or Bitrix24's own telephony clicks a number and
 * the appliance never hears of it: no ring, no word anywhere. This check reads the users with an extension
 * ({@code user.get}), their lines ({@code voximplant.user.get}: REST user.get never returns UF_VI_BACKPHONE), the portal
 * default ({@code voximplant.line.outgoing.get}), this application's id ({@code app.info}) and lines
 * ({@code telephony.externalLine.get}), and names in /health (and {@code doctor}) the users whose clicks go elsewhere.
 * At start, whenever the settings are saved (the routes' lines), and every {@link #EVERY}, since the box tells nobody
 * when an administrator changes a user's line; a check the box could not answer is tried again every minute.
 */
public final class OutgoingLinesCheck implements HealthPart, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutgoingLinesCheck.class.getName());
    static final Duration EVERY = Duration.ofMinutes(15);
    /** How many of the users whose clicks go elsewhere /health names (the count says how many there are). */
    public static final int NAMED = 5;

    /** A user with an extension whose clicks reach another line's owner. {@code own}: their own line, not the default. */
    public record Elsewhere(int userId, String name, String extension, String line, boolean own) {
        public String words() {
            return "user " + userId + (name.isBlank() ? "" : " " + name) + " (extension " + extension + ") → " + line
                    + (own ? "" : " (the portal's default line)");
        }
    }

    /**
     * What the last check found.
     *
     * @param usersWithExtension how many active users have an extension (UF_PHONE_INNER)
     * @param ourLines           the lines whose clicks reach this appliance: {@code REST_APP:<id>} and its external lines
     * @param portalLine         the portal's default outgoing line, or null when the box would not tell
     * @param portalLineError    why the portal's default line could not be read, or null
     * @param unknown            users without a line of their own while the portal's default could not be read
     * @param error              why nothing could be checked, or null
     */
    public record Report(Instant checkedAt, int usersWithExtension, List<String> ourLines, List<Elsewhere> elsewhere,
                         String portalLine, String portalLineError, List<Integer> unknown, String error) {

        public boolean portalLineOurs() {
            return portalLine != null && ourLines.contains(portalLine);
        }

        static Report failed(Instant at, String error) {
            return new Report(at, 0, List.of(), List.of(), null, null, List.of(), error);
        }
    }

    private final TelephonyApi telephony;
    private final CrmApi crm;
    private final BoxCheckRunner<Report> runner = new BoxCheckRunner<>("bitrix24-outgoing-lines",
            this::inspectAndTell, r -> r.error() != null);

    public OutgoingLinesCheck(TelephonyApi telephony, CrmApi crm) {
        this.telephony = telephony;
        this.crm = crm;
    }

    /** Checks now in the background, and from then on every {@link #EVERY}. */
    public void start() {
        runner.every(EVERY);
    }

    /** Checks now, in the background (every saved change of the settings). */
    public void checkSoon() {
        runner.soon();
    }

    /** Checks on the caller's thread; the report is also what /health shows from now on. */
    public Report checkNow() {
        return runner.now();
    }

    /** One look, and a word in the log when the box could not be asked or whose clicks go elsewhere changed. */
    private Report inspectAndTell() {
        Report report = inspect(telephony, crm, Instant.now());
        Report before = runner.last();
        if (report.error() != null) {
            LOG.warning("whose clicks reach the appliance cannot be checked: " + report.error());
        } else if (!report.elsewhere().isEmpty()
                && (before == null || !report.elsewhere().equals(before.elsewhere()))) {
            // once per change, not every 15 minutes: /health keeps saying it
            LOG.warning(report.elsewhere().size() + " user(s) with an extension would have their clicks sent to "
                    + "another line's owner, not to b24bridge: " + report.elsewhere().stream().limit(NAMED)
                    .map(Elsewhere::words).toList() + ". Set their outgoing line to b24bridge's in Bitrix24's "
                    + "telephony settings");
        }
        return report;
    }

    /** One look at the box (also what {@code doctor} runs when the appliance is stopped); never throws. */
    public static Report inspect(TelephonyApi telephony, CrmApi crm, Instant now) {
        try {
            List<CrmApi.User> users = crm.usersWithExtensions();
            Set<String> ours = new LinkedHashSet<>();
            Integer appId = telephony.applicationId();
            if (appId != null) {
                ours.add("REST_APP:" + appId);
            }
            ours.addAll(telephony.externalLines());
            Map<Integer, String> lines = users.isEmpty() ? Map.of()
                    : telephony.userOutgoingLines(users.stream().map(CrmApi.User::id).toList());
            String portal = null;
            String portalError = null;
            try {
                portal = telephony.portalOutgoingLine();
            } catch (BoxException e) {
                portalError = words(e);
            }
            List<Elsewhere> elsewhere = new ArrayList<>();
            List<Integer> unknown = new ArrayList<>();
            for (CrmApi.User u : users) {
                String own = lines.getOrDefault(u.id(), "");
                String line = own.isEmpty() ? portal : own;
                if (line == null) {
                    unknown.add(u.id());
                } else if (!ours.contains(line)) {
                    elsewhere.add(new Elsewhere(u.id(), u.name(), u.extension(), line, !own.isEmpty()));
                }
            }
            return new Report(now, users.size(), List.copyOf(ours), List.copyOf(elsewhere), portal, portalError,
                    List.copyOf(unknown), null);
        } catch (BoxException e) {
            return Report.failed(now, words(e) + advice(e));
        }
    }

    private static String words(BoxException e) {
        return e.method() + ": " + e.code() + (e.description().isEmpty() ? "" : " — " + e.description());
    }

    /** voximplant.user.get asks the box's administrator to confirm first (vi_rest.php, getUser: requestConfirmation). */
    private static String advice(BoxException e) {
        return "voximplant.user.get".equals(e.method())
                ? " (the box may be waiting for an administrator to confirm, in a notification, "
                + "that b24bridge may read the users' telephony settings; the application needs the telephony scope)"
                : "";
    }

    public Report last() {
        return runner.last();
    }

    @Override
    public String name() {
        return "outgoingLines";
    }

    @Override
    public PartHealth check() {
        Report r = runner.last();
        if (r == null) {
            return PartHealth.up("whose clicks reach the appliance is being checked", Map.of());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("checkedAt", r.checkedAt().toString());
        if (r.error() != null) {
            facts.put("error", r.error());
            return new PartHealth(PartHealth.State.DEGRADED, "whose clicks reach the appliance cannot be checked (" +
                    r.error() + "); tried again every minute", facts);
        }
        facts.put("usersWithExtension", r.usersWithExtension());
        facts.put("ourLines", r.ourLines());
        facts.put("portalLine", r.portalLine() == null ? "unknown: " + r.portalLineError() : r.portalLine());
        facts.put("portalLineOurs", r.portalLineOurs());
        facts.put("elsewhereCount", r.elsewhere().size());
        facts.put("elsewhere", r.elsewhere().stream().limit(NAMED).map(Elsewhere::words).toList());
        facts.put("unknownCount", r.unknown().size());
        if (!r.elsewhere().isEmpty()) {
            return new PartHealth(PartHealth.State.DEGRADED, r.elsewhere().size() + " user(s) with an extension would "
                    + "have their clicks sent to another line's owner, not to b24bridge (e.g. "
                    + r.elsewhere().getFirst().words() + "): set their outgoing line to b24bridge's in Bitrix24's "
                    + "telephony settings", facts);
        }
        if (!r.unknown().isEmpty()) {
            return new PartHealth(PartHealth.State.DEGRADED, r.unknown().size() + " user(s) have no outgoing line of "
                    + "their own and the portal's default line could not be read (" + r.portalLineError() + ")", facts);
        }
        return PartHealth.up("every user with an extension has b24bridge's line as their outgoing line", facts);
    }

    @Override
    public void close() {
        runner.close();
    }
}
