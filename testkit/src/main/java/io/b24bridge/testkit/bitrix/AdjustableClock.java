package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulator's clock: a base clock (injected through the builder; the system clock by default) plus an offset
 * that tests move or set, so "30 minutes later" (re-registration, §5.3) or "the token has expired" (§5.10) need no
 * waiting. Every time the box reads — DATE_CREATE of a call without CALL_START_DATE, the 30-minute window, token
 * and cache expiry, event {@code ts} — comes from here.
 */
public final class AdjustableClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset;

    AdjustableClock(Clock base) {
        this(base, new AtomicReference<>(Duration.ZERO));
    }

    private AdjustableClock(Clock base, AtomicReference<Duration> offset) {
        this.base = base;
        this.offset = offset;
    }

    /** Moves the box's time forward (or back, with a negative amount). */
    public void advance(Duration by) {
        offset.accumulateAndGet(by, Duration::plus);
    }

    /** From now on the box's time reads {@code now} (and runs on from there with the base clock). */
    public void set(Instant now) {
        offset.set(Duration.between(base.instant(), now));
    }

    public Duration offset() {
        return offset.get();
    }

    void resetOffset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new AdjustableClock(base.withZone(zone), offset);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }
}
