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
 * The lead sources the routes name must exist on the box: register with a CRM_SOURCE the box does not know makes the
 * lead's source CALL without a word (voximplant vi_crm_helper.php getLeadFields; bitrix24-box-behaviour.md §0 item 9),
 * and call tracking by DID is lost. So when the settings are saved and at start, the sources are read
 * ({@code crm.status.list}, ENTITY_ID SOURCE); a missing one is created ({@code crm.status.add}, named after its
 * route), and one that cannot be created is named in /health and the log with the DIDs it concerns. While the box
 * cannot be asked, the check is tried again every minute.
 */
public final class LeadSourceCheck implements HealthPart, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeadSourceCheck.class.getName());

    /**
     * What the last check found.
     *
     * @param missing lead source → why it could not be created, and the DIDs whose calls would be recorded as CALL
     * @param error   why the box could not be asked (then nothing else is known), or null
     */
    public record Report(Instant checkedAt, List<String> present, List<String> created, Map<String, String> missing,
                         String error) {
    }

    private final CrmApi crm;
    private final Supplier<Settings> settings;
    private final BoxCheckRunner<Report> runner = new BoxCheckRunner<>("bitrix24-lead-sources", this::inspect,
            r -> r.error() != null);

    public LeadSourceCheck(CrmApi crm, Supplier<Settings> settings) {
        this.crm = crm;
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
        Map<String, List<String>> wanted = wanted(settings.get());
        try {
            Map<String, String> known = crm.leadSources();
            List<String> present = new ArrayList<>();
            List<String> created = new ArrayList<>();
            Map<String, String> missing = new TreeMap<>();
            for (Map.Entry<String, List<String>> w : wanted.entrySet()) {
                if (known.containsKey(w.getKey())) {
                    present.add(w.getKey());
                    continue;
                }
                try {
                    crm.addLeadSource(w.getKey(), name(w.getKey(), w.getValue()));
                    created.add(w.getKey());
                    LOG.info("lead source " + w.getKey() + " did not exist on the box: created for the routes of "
                            + w.getValue());
                } catch (BoxException e) {
                    String why = e.code() + (e.description().isEmpty() ? "" : " — " + e.description());
                    missing.put(w.getKey(), why + "; calls through " + w.getValue() + " would be recorded as CALL");
                    LOG.warning("lead source " + w.getKey() + " does not exist on the box and cannot be created ("
                            + why + "): leads of calls through " + w.getValue() + " would get the source CALL. Create "
                            + "it in the CRM's settings (Sources), or give the application crm rights");
                }
            }
            return new Report(Instant.now(), List.copyOf(present), List.copyOf(created), Map.copyOf(missing), null);
        } catch (BoxException e) {
            return new Report(Instant.now(), List.of(), List.of(), Map.of(), e.getMessage()); // tried again soon
        }
    }

    /** Each lead source the inbound routes name, with their DIDs. */
    static Map<String, List<String>> wanted(Settings s) {
        Map<String, List<String>> out = new TreeMap<>();
        InboundRoutes routes = s.inboundRoutes();
        if (routes == null) {
            return out;
        }
        for (InboundRoutes.Route r : routes.routes()) {
            out.computeIfAbsent(r.leadSource(), k -> new ArrayList<>()).add(r.did());
        }
        return out;
    }

    private String name(String source, List<String> dids) {
        InboundRoutes routes = settings.get().inboundRoutes();
        String routeName = routes == null ? null : routes.routes().stream()
                .filter(r -> r.leadSource().equals(source) && r.name() != null && !r.name().isBlank())
                .map(InboundRoutes.Route::name).findFirst().orElse(null);
        return routeName != null ? routeName : "Calls to " + String.join(", ", dids);
    }

    public Report last() {
        return runner.last();
    }

    @Override
    public String name() {
        return "leadSources";
    }

    @Override
    public PartHealth check() {
        Report r = runner.last();
        if (r == null) {
            return PartHealth.up("the routes' lead sources are being checked", Map.of());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("checkedAt", r.checkedAt().toString());
        facts.put("present", r.present());
        facts.put("created", r.created());
        facts.put("missing", r.missing());
        if (r.error() != null) {
            facts.put("error", r.error());
            return new PartHealth(PartHealth.State.DEGRADED, "the routes' lead sources cannot be checked (the box did "
                    + "not answer); tried again every minute", facts);
        }
        if (!r.missing().isEmpty()) {
            return new PartHealth(PartHealth.State.DEGRADED, "lead source(s) " + r.missing().keySet() + " do not exist "
                    + "on the box and could not be created: their calls' leads would get the source CALL", facts);
        }
        return PartHealth.up("every lead source the routes name exists on the box", facts);
    }

    @Override
    public void close() {
        runner.close();
    }
}
