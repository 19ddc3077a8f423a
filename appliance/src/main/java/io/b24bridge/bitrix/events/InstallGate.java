package io.b24bridge.bitrix.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxException;
import io.b24bridge.bitrix.auth.Tokens;

/**
 * Decides whether an install event may replace the application's tokens (review F1: any holder of a box-side
 * certificate, any process on the box's host, any box administrator with a second local application could post an
 * {@code ONAPPINSTALL} and take over event authentication). An install is taken only when all of these hold:
 * <ol>
 *   <li>an administrator armed installation ({@link #arm}: {@code POST /api/bitrix24/install}), less than its expiry
 *       ago, and no install was taken since (an arming serves one install);</li>
 *   <li>the event's tokens belong to the configured application: asked with the event's access token, the configured
 *       box (over its mutual TLS, its certificate checked) answers {@code app.info} with {@code CODE} = the configured
 *       client_id — or the event came through the box module's own mutual-TLS channel ({@link Proof#MODULE});</li>
 *   <li>when tokens are installed already: the event is the same box's ({@code member_id}) with the same application
 *       token (a real box derives it from the member, the application and its secret, rest_util.php
 *       getApplicationToken, so a reinstall keeps it) — unless the arming said the box or the application is new
 *       ({@code replace}).</li>
 * </ol>
 * Anything else changes nothing, is answered 403 and is logged (and, through the journal, audited).
 */
public final class InstallGate {

    private static final Logger LOG = Logger.getLogger(InstallGate.class.getName());
    /** The longest an arming lasts. */
    public static final Duration LONGEST = Duration.ofHours(1);

    /** What vouches for an install event besides the arming. */
    public enum Proof {
        /** the event came from the cloud queue: its token is asked about at the box ({@code app.info}) */
        APP_INFO,
        /** the event came through the box module's mutual-TLS channel, which only the box holds */
        MODULE
    }

    /** Installation is armed until {@code until}, by {@code by}; {@code replace}: a new box or application is fine. */
    public record Armed(Instant until, boolean replace, String by) {
    }

    /** What was decided about an install event, for the log and the audit journal. */
    public record Decision(boolean taken, String reason, String memberId, String domain) {
    }

    private final BoxClient client;
    private final String clientId;
    private final Clock clock;
    private final Consumer<Decision> journal;
    private volatile Armed armed;

    /**
     * @param clientId the configured application's client_id
     * @param journal  hears of every decision (the audit log)
     */
    public InstallGate(BoxClient client, String clientId, Clock clock, Consumer<Decision> journal) {
        this.client = client;
        this.clientId = clientId;
        this.clock = clock;
        this.journal = journal;
    }

    /** Arms installation for {@code duration} (at most {@link #LONGEST}) or until an install is taken. */
    public Armed arm(Duration duration, boolean replace, String by) {
        Duration d = duration.compareTo(LONGEST) > 0 ? LONGEST : duration;
        Armed a = new Armed(clock.instant().plus(d), replace, by);
        armed = a;
        LOG.info(() -> "installation armed by " + by + " until " + a.until() + (replace ? " (a new box or "
                + "application may replace the installed one)" : ""));
        return a;
    }

    public void disarm() {
        armed = null;
    }

    /** The arming in force, if any. */
    public Optional<Armed> armed() {
        Armed a = armed;
        return a != null && clock.instant().isBefore(a.until()) ? Optional.of(a) : Optional.empty();
    }

    /** Judges an install event's tokens; when taken, the arming is spent. */
    public synchronized Decision judge(Tokens presented, Proof proof) {
        String refusal = refusal(presented, proof);
        Decision d = new Decision(refusal == null, refusal == null ? "taken" : refusal,
                FormData.printable(presented.memberId()), FormData.printable(presented.domain()));
        if (d.taken()) {
            armed = null;
        } else {
            LOG.warning("an install event (member " + d.memberId() + ", domain " + d.domain() + ") was refused and "
                    + "changed nothing: " + refusal);
        }
        journal.accept(d);
        return d;
    }

    private String refusal(Tokens presented, Proof proof) {
        if (!client.applicationMode() && !client.throughModule()) {
            return "this appliance authenticates with a webhook (bitrix24.auth): it takes no install";
        }
        if (client.throughModule() && proof != Proof.MODULE) {
            return "this appliance reaches the box through the b24bridge module (bitrix24.auth: module): an install "
                    + "counts only when it comes through the module's queue";
        }
        Optional<Armed> a = armed();
        if (a.isEmpty()) {
            return "installation is not armed: an administrator arms it (POST /api/bitrix24/install) just before "
                    + "installing the application in Bitrix24";
        }
        if (proof == Proof.APP_INFO) {
            try {
                String code = client.applicationOf(presented.accessToken());
                if (!clientId.equals(code)) {
                    return "the box says the event's token belongs to application '" + FormData.printable(code)
                            + "', not the configured " + clientId;
                }
            } catch (BoxException e) {
                return "the box did not vouch for the event's token (app.info: " + e.code() + ")";
            }
        }
        Optional<Tokens> installed = client.tokens();
        if (installed.isPresent() && !a.get().replace()) {
            String member = installed.get().memberId();
            if (member != null && !member.isEmpty() && !same(member, presented.memberId())) {
                return "another box (member_id) than the installed one; arm with replace to change boxes";
            }
            if (installed.get().applicationToken() != null && !same(installed.get().applicationToken().revealString(),
                    presented.applicationToken() == null ? null : presented.applicationToken().revealString())) {
                return "another application token than the installed one; arm with replace if the application was "
                        + "made anew in Bitrix24";
            }
        }
        return null;
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }
}
