package io.b24bridge.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last few things a part of /health refused or failed to do (a click not rung for, a callback not made), newest
 * first, each with why: what the part lists under {@code lastRefused}, and what keeps it DEGRADED while the newest is
 * recent. Not synchronized: the part that owns it guards it with its own lock.
 */
public final class RecentRefusals {

    /** One refusal: when, of what (a call id, a form), and why. */
    public record Refusal(Instant at, String what, String why) {

        /** As /health lists it. */
        public String line() {
            return at + " " + what + ": " + why;
        }
    }

    private final int kept;
    private final Duration recent;
    private final Deque<Refusal> refusals = new ArrayDeque<>();

    /**
     * @param kept   how many are listed (the oldest beyond that are forgotten)
     * @param recent how long the newest keeps the part DEGRADED
     */
    public RecentRefusals(int kept, Duration recent) {
        this.kept = kept;
        this.recent = recent;
    }

    public void add(Refusal r) {
        refusals.addFirst(r);
        while (refusals.size() > kept) {
            refusals.removeLast();
        }
    }

    /** Newest first. */
    public List<Refusal> last() {
        return List.copyOf(refusals);
    }

    /** Newest first, as /health lists them. */
    public List<String> lines() {
        return refusals.stream().map(Refusal::line).toList();
    }

    /** The newest, while it is recent at {@code now}. */
    public Optional<Refusal> recent(Instant now) {
        Refusal last = refusals.peekFirst();
        return last != null && Duration.between(last.at(), now).compareTo(recent) < 0 ? Optional.of(last)
                : Optional.empty();
    }
}
