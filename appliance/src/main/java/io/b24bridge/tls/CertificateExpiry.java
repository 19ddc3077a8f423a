package io.b24bridge.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * Every certificate the appliance holds — its listeners' chains, its client certificate for the box, the CAs it
 * trusts — and when the first of each store expires: warned of in the log 30, 7 and 1 days ahead (once per step), and
 * shown in /health (part {@code certificates}, DEGRADED within 30 days, DOWN once one has expired). Read again at
 * every {@link #refresh()} (a job), so a renewed file is seen without a restart of this part.
 */
public final class CertificateExpiry implements HealthPart {

    private static final Logger LOG = Logger.getLogger(CertificateExpiry.class.getName());
    /** The steps at which the log warns, largest first. */
    static final List<Integer> WARN_DAYS = List.of(30, 7, 1);

    private final Map<String, ApplianceConfig.Tls> stores;
    private final Clock clock;
    private final AtomicReference<PartHealth> last = new AtomicReference<>();
    /** Per store, the smallest step already warned of for the certificate that expires first (its notAfter). */
    private final Map<String, Warned> warned = new ConcurrentHashMap<>();

    private record Warned(Instant notAfter, int days) {
    }

    /** @param stores by a name for a person ({@code admin-listener}, {@code bitrix24-client}) */
    public CertificateExpiry(Map<String, ApplianceConfig.Tls> stores, Clock clock) {
        this.stores = Map.copyOf(stores);
        this.clock = clock;
    }

    /** The stores of a configuration: both listeners and, with a box, the client certificate for it. */
    public static Map<String, ApplianceConfig.Tls> of(ApplianceConfig config) {
        Map<String, ApplianceConfig.Tls> m = new LinkedHashMap<>();
        m.put("admin-listener", config.adminListener().tls());
        m.put("box-listener", config.boxListener().tls());
        config.bitrix24().ifPresent(b -> m.put("bitrix24-client", b.tls()));
        return m;
    }

    /** Reads every store again, logs what crossed a step, keeps the result for /health; one line for the job. */
    public String refresh() {
        Instant now = clock.instant();
        Map<String, Object> facts = new LinkedHashMap<>();
        List<String> expired = new ArrayList<>();
        List<String> soon = new ArrayList<>();
        long firstDays = Long.MAX_VALUE;
        for (Map.Entry<String, ApplianceConfig.Tls> e : stores.entrySet()) {
            String name = e.getKey();
            TlsMaterial m;
            try {
                m = TlsMaterial.load(e.getValue());
            } catch (ConfigException ex) {
                facts.put(name, Map.of("error", ex.getMessage()));
                soon.add(name + " cannot be read");
                continue;
            }
            List<X509Certificate> all = new ArrayList<>(m.chain());
            all.addAll(m.trust());
            X509Certificate first = all.stream().min((a, b) -> a.getNotAfter().compareTo(b.getNotAfter())).orElseThrow();
            Instant notAfter = first.getNotAfter().toInstant();
            long days = Duration.between(now, notAfter).toDays();
            String subject = first.getSubjectX500Principal().getName();
            facts.put(name, Map.of("firstExpiry", notAfter.toString(), "daysLeft", days, "subject", subject,
                    "file", e.getValue().keystore().toString()));
            firstDays = Math.min(firstDays, days);
            if (!now.isBefore(notAfter)) {
                expired.add(name + " ('" + subject + "') expired on " + notAfter);
            } else if (days < WARN_DAYS.getFirst()) {
                soon.add(name + " ('" + subject + "') expires in " + days + " days (" + notAfter + ")");
            }
            warnOnce(name, subject, e.getValue(), notAfter, days, now);
        }
        PartHealth h;
        if (!expired.isEmpty()) {
            h = PartHealth.down(String.join("; ", expired) + ": renew it (b24bridge-certs, or the security team)",
                    facts);
        } else if (!soon.isEmpty()) {
            h = new PartHealth(PartHealth.State.DEGRADED, String.join("; ", soon) + ": renew it now", facts);
        } else {
            h = PartHealth.up(stores.size() + " certificate stores, the first expiry in " + firstDays + " days",
                    facts);
        }
        last.set(h);
        return h.detail();
    }

    private void warnOnce(String name, String subject, ApplianceConfig.Tls tls, Instant notAfter, long days,
                          Instant now) {
        int step = Integer.MAX_VALUE;
        for (int d : WARN_DAYS) {
            if (days < d) {
                step = d;
            }
        }
        if (step == Integer.MAX_VALUE) {
            return;
        }
        Warned before = warned.get(name);
        if (before != null && before.notAfter().equals(notAfter) && before.days() <= step) {
            return; // said already at this step for this certificate
        }
        warned.put(name, new Warned(notAfter, step));
        String when = now.isBefore(notAfter) ? "expires in " + days + " days, on " + notAfter : "expired on " + notAfter;
        LOG.warning("certificate '" + subject + "' of " + name + " (" + tls.keystore() + ") " + when
                + ": renew it (b24bridge-certs, or the security team) and restart the appliance");
    }

    @Override
    public String name() {
        return "certificates";
    }

    @Override
    public PartHealth check() {
        PartHealth h = last.get();
        if (h == null) {
            refresh();
            h = last.get();
        }
        return h;
    }
}
