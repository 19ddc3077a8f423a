package io.b24bridge.routing;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.b24bridge.calls.PhoneNumbers;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.Routing;
import io.b24bridge.settings.Settings;

/**
 * Decides where an inbound call goes (the FastAGI answer): the route of its DID, the caller's responsible in
 * the CRM, their phones. The CRM is asked through {@link CrmDirectory} off the caller's path: a fresh cached
 * answer costs no network at all; otherwise the decision waits for the CRM at most until the settings'
 * deadline, then answers from an older answer or the route's defaults — a caller never waits on Bitrix24.
 * After the CRM failed or ran out of time, decisions stop waiting for it for {@link #AWAY_PAUSE}, and only one
 * question at a time probes whether it is back (its answer fills the cache, and a success ends the pause), so a
 * box that is down costs one caller the deadline, not every caller, and is not flooded with questions it
 * cannot answer.
 */
public final class RoutingService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RoutingService.class.getName());
    /** How long decisions answer without waiting after the CRM failed or was too slow. */
    static final Duration AWAY_PAUSE = Duration.ofSeconds(10);
    /** Kept free of the deadline for setting the answer's variables on the channel. */
    static final Duration ANSWER_MARGIN = Duration.ofMillis(50);

    private final Supplier<Settings> settings;
    private final CrmDirectory directory;
    private final RoutingTime time;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("routing-crm-", 0).factory());
    private final AnswerCache<CrmDirectory.Owner> owners;
    private final AnswerCache<CrmDirectory.Person> persons;
    /** Until when ({@link RoutingTime#nanos()}) decisions do not wait for the CRM; null while it answers. */
    private final AtomicReference<Long> awayUntil = new AtomicReference<>();
    /** While the CRM is away: a question is out to find out whether it is back. */
    private final AtomicBoolean probing = new AtomicBoolean();
    private final RoutingStats stats = new RoutingStats();
    /** The routes of the settings in force, their patterns compiled once per change, not once per call. */
    private final AtomicReference<InboundRoutes.Index> routeIndex = new AtomicReference<>();

    public RoutingService(Supplier<Settings> settings, CrmDirectory directory) {
        this(settings, directory, RoutingTime.SYSTEM);
    }

    public RoutingService(Supplier<Settings> settings, CrmDirectory directory, RoutingTime time) {
        this.settings = settings;
        this.directory = directory;
        this.time = time;
        this.owners = new AnswerCache<>(key -> directory.ownerOf(number(key), field(key)), executor, time,
                this::crmAnswered, this::crmTooSlow);
        this.persons = new AnswerCache<>(key -> directory.person(Integer.parseInt(number(key)), field(key)), executor,
                time, this::crmAnswered, this::crmTooSlow);
    }

    /**
     * Where a call to {@code did} from {@code callerNumber} goes. Returns within the settings' deadline
     * (less a margin for the answer itself), whatever the CRM does; never throws.
     */
    public RouteDecision decide(String did, String callerNumber) {
        long started = time.nanos();
        Settings now = settings.get();
        Routing r = now.routing();
        long waitUntil = started + Duration.ofMillis(r.deadlineMs()).minus(ANSWER_MARGIN).toNanos();
        RouteDecision decision;
        try {
            decision = decide(now, r, did, callerNumber, waitUntil);
        } catch (RuntimeException e) {
            LOG.warning("routing of a call to " + did + " failed (" + e + "): the PBX's own routing takes it");
            decision = RouteDecision.none(RouteDecision.Source.NO_ROUTE, null);
        }
        stats.decided(decision.source(), time.nanos() - started);
        return decision;
    }

    private RouteDecision decide(Settings now, Routing r, String did, String callerNumber, long waitUntil) {
        Optional<InboundRoutes.Route> found = did == null || did.isBlank() ? Optional.empty()
                : index(now.inboundRoutes()).routeFor(did);
        if (found.isEmpty()) {
            return RouteDecision.none(RouteDecision.Source.NO_ROUTE, null);
        }
        InboundRoutes.Route route = found.get();
        if (!route.routeToResponsible()) {
            return RoutePlanner.plan(route, r, now.callData(), new RoutePlanner.Facts(null, false, null),
                    RouteDecision.Source.ROUTE);
        }
        Duration ttl = Duration.ofSeconds(r.cacheTtlSeconds());
        Duration negativeTtl = Duration.ofSeconds(r.negativeTtlSeconds());
        String number = PhoneNumbers.format(callerNumber, now.callData());
        AnswerCache.Lookup<CrmDirectory.Owner> owner = number == null || number.replaceAll("[^0-9]", "").length() < 5
                ? new AnswerCache.Lookup<>(Optional.empty(), true, RouteDecision.Source.CRM) // anonymous, short
                : owners.get(key(number, r.mobileField()), ttl, negativeTtl, waitUntil, this::mode);
        CrmDirectory.Person person = null;
        if (owner.value().isEmpty() && route.unknownCallers() == InboundRoutes.UnknownCallers.DEFAULT_RESPONSIBLE
                && route.defaultResponsibleUserId() != null) {
            person = persons.get(key(String.valueOf(route.defaultResponsibleUserId()), r.mobileField()), ttl,
                    negativeTtl, waitUntil, this::mode).value().orElse(null);
        }
        return RoutePlanner.plan(route, r, now.callData(),
                new RoutePlanner.Facts(owner.value().orElse(null), owner.answered(), person), owner.source());
    }

    private InboundRoutes.Index index(InboundRoutes routes) {
        InboundRoutes.Index known = routeIndex.get();
        if (known != null && known.isOf(routes)) {
            return known;
        }
        InboundRoutes.Index fresh = routes.index();
        routeIndex.set(fresh);
        return fresh;
    }

    /**
     * Loads in the background what unknown callers of the routes will need (their default responsibles'
     * phones), so the first call after a start does not wait for it.
     */
    public void warmUp() {
        Settings now = settings.get();
        String field = now.routing().mobileField();
        for (InboundRoutes.Route route : now.inboundRoutes().routes()) {
            if (route.routeToResponsible() && route.defaultResponsibleUserId() != null && !crmAway()) {
                persons.load(key(String.valueOf(route.defaultResponsibleUserId()), field));
            }
        }
    }

    /** The AGI answer was given: how long the whole request took, variables included. */
    public void answered(long nanos) {
        stats.answered(nanos);
    }

    public RoutingStats.Snapshot stats() {
        return stats.snapshot();
    }

    /** Whether decisions currently skip waiting for the CRM (it failed or was too slow lately). */
    public boolean crmAway() {
        Long until = awayUntil.get();
        return until != null && time.nanos() - until <= 0;
    }

    /** Wait for the CRM while it is not known to be away; else one question probes it, the rest use the cache. */
    private AnswerCache.Mode mode() {
        if (!crmAway()) {
            return AnswerCache.Mode.WAIT;
        }
        return probing.compareAndSet(false, true) ? AnswerCache.Mode.ASK : AnswerCache.Mode.CACHE;
    }

    private void crmAnswered(boolean ok) {
        awayUntil.set(ok ? null : time.nanos() + AWAY_PAUSE.toNanos());
        probing.set(false);
    }

    private void crmTooSlow() {
        awayUntil.set(time.nanos() + AWAY_PAUSE.toNanos());
    }

    private static String key(String value, String field) {
        return value + "|" + field;
    }

    private static String number(String key) {
        return key.substring(0, key.indexOf('|'));
    }

    private static String field(String key) {
        return key.substring(key.indexOf('|') + 1);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Decisions per source and their times (the FastAGI requests' and the decisions' own). */
    public static final class RoutingStats {

        private final Map<RouteDecision.Source, Long> bySource = new EnumMap<>(RouteDecision.Source.class);
        private final long[] recent = new long[1024];
        private long answers;
        private long lastDecisionNanos;
        private RouteDecision.Source lastSource;
        private long lastAnswerNanos;

        /** What /health and the bench read. */
        public record Snapshot(Map<RouteDecision.Source, Long> bySource, long answers, RouteDecision.Source lastSource,
                               long lastDecisionNanos, long lastAnswerNanos, long medianAnswerNanos,
                               long p99AnswerNanos) {
        }

        synchronized void decided(RouteDecision.Source source, long nanos) {
            bySource.merge(source, 1L, Long::sum);
            lastDecisionNanos = nanos;
            lastSource = source;
        }

        synchronized void answered(long nanos) {
            recent[(int) (answers++ % recent.length)] = nanos;
            lastAnswerNanos = nanos;
        }

        synchronized Snapshot snapshot() {
            int n = (int) Math.min(answers, recent.length);
            long[] sorted = Arrays.copyOf(recent, n);
            Arrays.sort(sorted);
            long median = n == 0 ? 0 : sorted[n / 2];
            long p99 = n == 0 ? 0 : sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)];
            return new Snapshot(Map.copyOf(bySource), answers, lastSource, lastDecisionNanos, lastAnswerNanos, median,
                    p99);
        }
    }
}
