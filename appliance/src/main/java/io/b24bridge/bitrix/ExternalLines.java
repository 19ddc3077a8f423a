package io.b24bridge.bitrix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.Settings;

/**
 * One Bitrix24 external line per DID of the inbound routes (contract §2, {@code telephony.externalLine.add}): named
 * after its route, CRM_AUTO_CREATE as the route's {@code crmCreate} (the box reads it for calls made from its
 * interface through that line). Kept in step with the routes: at start and whenever the settings are saved, the lines
 * the application has are read and each DID without one is added; "Line already exists" is success (a register
 * naming the DID makes the line too). Routes by pattern ({@code _7495XXXXXXX}) have no line. A line that cannot be
 * added is named in /health; while the box cannot be asked the check is tried again every minute. Lines of removed
 * routes are left: past calls name them.
 */
public final class ExternalLines implements HealthPart, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ExternalLines.class.getName());
    static final String LINE_EXISTS = "Line already exists";

    /** What the last check found: lines present, added, and those that could not be added (DID → why). */
    public record Report(Instant checkedAt, List<String> present, List<String> added, Map<String, String> failed,
                         String error) {
    }

    private final TelephonyApi telephony;
    private final Supplier<Settings> settings;
    private final BoxCheckRunner<Report> runner = new BoxCheckRunner<>("bitrix24-external-lines", this::inspect,
            r -> r.error() != null);

    public ExternalLines(TelephonyApi telephony, Supplier<Settings> settings) {
        this.telephony = telephony;
        this.settings = settings;
    }

    /** Checks now, in the background (start, and every saved change of the settings). */
    public void checkSoon() {
        runner.soon();
    }

    /** Checks on the caller's thread; the report is also what /health shows from now on. */
    public Report checkNow() {
        return runner.now();
    }

    private Report inspect() {
        try {
            List<String> known = telephony.externalLines();
            List<String> present = new ArrayList<>();
            List<String> added = new ArrayList<>();
            Map<String, String> failed = new TreeMap<>();
            for (InboundRoutes.Route r : wanted(settings.get())) {
                if (known.contains(r.did())) {
                    present.add(r.did());
                    continue;
                }
                String name = r.name() == null || r.name().isBlank() ? r.did() : r.name();
                try {
                    telephony.addExternalLine(r.did(), name, r.crmCreate());
                    added.add(r.did());
                    LOG.info("external line " + r.did() + " (" + name + ") added to Bitrix24");
                } catch (BoxException e) {
                    if (e.description().contains(LINE_EXISTS) || e.getMessage().contains(LINE_EXISTS)) {
                        present.add(r.did()); // made meanwhile (a register naming the DID): what was wanted
                        continue;
                    }
                    String why = e.code() + (e.description().isEmpty() ? "" : " — " + e.description());
                    failed.put(r.did(), why);
                    LOG.warning("external line " + r.did() + " cannot be added to Bitrix24 (" + why + "): its calls "
                            + "are still registered under it, the line shows without its name");
                }
            }
            return new Report(Instant.now(), List.copyOf(present), List.copyOf(added), Map.copyOf(failed), null);
        } catch (BoxException e) {
            return new Report(Instant.now(), List.of(), List.of(), Map.of(), e.getMessage()); // tried again soon
        }
    }

    /** The routes with an exact DID: each wants its line. */
    static List<InboundRoutes.Route> wanted(Settings s) {
        InboundRoutes routes = s.inboundRoutes();
        if (routes == null) {
            return List.of();
        }
        return routes.routes().stream().filter(r -> r.did() != null && r.did().matches("\\+?[0-9]{3,20}")).toList();
    }

    public Report last() {
        return runner.last();
    }

    @Override
    public String name() {
        return "externalLines";
    }

    @Override
    public PartHealth check() {
        Report r = runner.last();
        if (r == null) {
            return PartHealth.up("the routes' external lines are being checked", Map.of());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("checkedAt", r.checkedAt().toString());
        facts.put("present", r.present());
        facts.put("added", r.added());
        facts.put("failed", r.failed());
        if (r.error() != null) {
            facts.put("error", r.error());
            return new PartHealth(PartHealth.State.DEGRADED, "the routes' external lines cannot be checked (the box "
                    + "did not answer); tried again every minute", facts);
        }
        if (!r.failed().isEmpty()) {
            return new PartHealth(PartHealth.State.DEGRADED, "external line(s) " + r.failed().keySet() + " could not "
                    + "be added to Bitrix24", facts);
        }
        return PartHealth.up("every routed DID has its external line in Bitrix24", facts);
    }

    @Override
    public void close() {
        runner.close();
    }
}
