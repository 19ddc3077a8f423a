package io.b24bridge.callback;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.b24bridge.pbx.OriginateRequest;
import io.b24bridge.pbx.OriginateResult;
import io.b24bridge.settings.Callback;
import io.b24bridge.settings.Settings;

/**
 * The attempts of one registered callback: the operator side is originated over AMI into {@code [b24bridge-callback]}
 * (docs/asterisk/b24bridge.conf), which dials the client once an operator answered; when nobody answers within
 * {@code callback.operatorRingTimeoutSeconds} the attempt is made again after {@code callback.retryIntervalSeconds},
 * {@code callback.retries} times, and then the CRM call is finished as a missed callback (304). What happens once an
 * operator answered — the client's answer, talk time, recording — is the call spine's, under the callback's CALL_ID.
 */
public final class CallbackAttempts implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CallbackAttempts.class.getName());
    /** The product's dialplan context an answered callback continues in. */
    public static final String CALLBACK_CONTEXT = "b24bridge-callback";
    static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    static final Pattern CALLER_ID = Pattern.compile("(?:\"([^\"]*)\"\\s*<(\\+?[0-9]{2,20})>|(\\+?[0-9]{2,20}))");
    /** How often a missed callback's finish is tried again while the box is away, and how long apart. */
    static final int FINISH_TRIES = 20;
    static final Duration FINISH_PAUSE = Duration.ofSeconds(30);

    /** Sends an Originate to a PBX ({@code PbxRegistry::originate}). */
    public interface Originator {
        CompletableFuture<OriginateResult> originate(String pbxId, OriginateRequest request);
    }

    /** Who is rung first: the dial string of the operator side, and the operator's extension when it is one phone. */
    public record Ring(String channel, String operatorExtension) {
    }

    /** A callback registered in the CRM, ready to ring. */
    public record Plan(long id, String callId, int userId, CallbackRequest request, String clientName, Ring ring) {
    }

    private final Supplier<Settings> settings;
    private final Originator pbx;
    private final String pbxId;
    private final Callbacks store;
    private final CallbackCrm crm;
    private final CallbackHealth health;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("callback-attempts").daemon().factory());

    public CallbackAttempts(Supplier<Settings> settings, Originator pbx, String pbxId, Callbacks store, CallbackCrm crm,
                            CallbackHealth health, Clock clock) {
        this.settings = settings;
        this.pbx = pbx;
        this.pbxId = pbxId;
        this.store = store;
        this.crm = crm;
        this.health = health;
        this.clock = clock;
    }

    /** Rings the first attempt now. */
    void first(Plan plan) {
        attempt(plan, 1);
    }

    /**
     * A callback the appliance was ringing when it stopped ({@code attemptsMade} made): its next attempt after
     * {@code callback.retryIntervalSeconds}, or, its attempts spent or nobody left to ring, a missed callback.
     */
    void resume(Plan plan, int attemptsMade) {
        Callback cb = settings.get().callback();
        if (plan.ring() == null || attemptsMade > cb.retries()) {
            worker.execute(() -> missed(plan, attemptsMade, "nobody answered the callback: " + attemptsMade
                    + " attempt(s) before the appliance restarted", 1));
            return;
        }
        LOG.info(() -> "callback " + plan.callId() + " was ringing when the appliance stopped: attempt "
                + (attemptsMade + 1) + " in " + cb.retryIntervalSeconds() + " s");
        worker.schedule(() -> attempt(plan, attemptsMade + 1), cb.retryIntervalSeconds(), TimeUnit.SECONDS);
    }

    private void attempt(Plan plan, int n) {
        Settings s = settings.get();
        OriginateRequest request;
        try {
            request = request(plan, s);
        } catch (IllegalArgumentException e) { // the Originate's own check of what reaches the PBX
            LOG.warning("callback " + plan.callId() + ": the PBX would not be given this: " + e.getMessage());
            missed(plan, n, "the PBX would not be given this: " + e.getMessage(), 1);
            return;
        }
        store.attempted(plan.id(), n, clock.instant());
        LOG.info(() -> "callback " + plan.callId() + ": attempt " + n + ", ringing " + plan.ring().channel());
        pbx.originate(pbxId, request).whenComplete((result, failure) -> worker.execute(() -> {
            try {
                after(plan, n, result, failure);
            } catch (RuntimeException e) {
                LOG.warning("callback " + plan.callId() + ": " + e);
            }
        }));
    }

    private void after(Plan plan, int n, OriginateResult result, Throwable failure) {
        if (failure == null && result.success()) {
            store.settle(plan.id(), Callbacks.State.ANSWERED, "an operator answered attempt " + n, null,
                    clock.instant());
            health.answered();
            return;
        }
        String why = failure != null ? "the PBX could not originate it: "
                + (failure.getCause() != null ? failure.getCause() : failure).getMessage()
                : "the operator side: " + result.message();
        Callback cb = settings.get().callback();
        if (n <= cb.retries()) {
            LOG.info(() -> "callback " + plan.callId() + ": attempt " + n + " not taken (" + why + "); again in "
                    + cb.retryIntervalSeconds() + " s");
            worker.schedule(() -> attempt(plan, n + 1), cb.retryIntervalSeconds(), TimeUnit.SECONDS);
        } else {
            missed(plan, n, "nobody answered the callback: " + n + " attempt" + (n == 1 ? "" : "s") + " (" + why
                    + ")", 1);
        }
    }

    /** Nobody took it: the CRM call is finished as a missed callback on the user it was registered on. */
    private void missed(Plan plan, int attempts, String why, int tryNo) {
        try {
            crm.finishMissed(plan.callId(), plan.userId(), why.length() > 200 ? why.substring(0, 200) : why);
            store.settle(plan.id(), Callbacks.State.MISSED, why, null, clock.instant());
            health.missed();
            LOG.info(() -> "callback " + plan.callId() + " missed after " + attempts + " attempt(s): " + why);
        } catch (CallbackCrm.Failed e) {
            if (e.retryable() && tryNo < FINISH_TRIES) {
                worker.schedule(() -> missed(plan, attempts, why, tryNo + 1), FINISH_PAUSE.toSeconds(),
                        TimeUnit.SECONDS);
                return;
            }
            store.settle(plan.id(), Callbacks.State.FAILED, why + "; the CRM was not told: " + e.getMessage(), null,
                    clock.instant());
            health.refused("callback " + plan.callId(), "missed, and the CRM was not told: " + e.getMessage(),
                    clock.instant());
        }
    }

    /** The Originate: the operator side first, then [b24bridge-callback] dials the client in the outbound context. */
    static OriginateRequest request(Plan plan, Settings s) {
        if (!CALL_ID.matcher(plan.callId()).matches()) {
            throw new IllegalArgumentException("the CALL_ID Bitrix24 gave is not one the dialplan may carry");
        }
        Callback cb = s.callback();
        CallbackRequest r = plan.request();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("B24_CALLBACK", plan.callId());
        vars.put("B24_NUMBER", r.number());
        vars.put("B24_OPERATOR", plan.ring().operatorExtension());
        vars.put("B24_CONTEXT", s.clickToCall().originateContext());
        vars.put("B24_CLIENT_RING", String.valueOf(s.clickToCall().clientRingTimeoutSeconds()));
        if (!r.lineNumber().isEmpty()) {
            vars.put("B24_LINE", r.lineNumber());
        }
        if (cb.callerId() != null) {
            Matcher m = CALLER_ID.matcher(cb.callerId());
            if (m.matches()) {
                vars.put("B24_CALLER_NUM", m.group(2) != null ? m.group(2) : m.group(3));
                vars.put("B24_CALLER_NAME", m.group(1) != null ? safeName(m.group(1)) : "");
            }
        }
        String name = safeName(plan.clientName());
        String shown = "\"" + (name.isEmpty() ? "Callback" : "Callback: " + name) + "\" <" + r.number() + ">";
        return new OriginateRequest(plan.ring().channel(), CALLBACK_CONTEXT, r.number(), 1, Optional.of(shown),
                Duration.ofSeconds(cb.operatorRingTimeoutSeconds()), Optional.empty(), vars);
    }

    /** A name as a caller ID may carry it: letters, digits, spaces, dots and dashes, 40 at most. */
    static String safeName(String name) {
        String s = name == null ? "" : name.replaceAll("[^\\p{L}\\p{N} .-]", "").strip();
        return s.length() > 40 ? s.substring(0, 40).strip() : s;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
