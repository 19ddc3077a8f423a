package io.b24bridge.outbox;

import io.b24bridge.health.HealthPart;

/**
 * The outbox's sending side: the {@link Dispatcher} when a box is configured; {@link #keeping()} when none is,
 * and everything waits in the outbox for the day one is.
 */
public interface OutboxSender extends AutoCloseable {

    /** Something changed (an operator's retry of a dead letter): look at the whole outbox now. */
    void wake();

    /** The box answers again after failures: what waits out a retry pause goes now. */
    void boxRecovered();

    /** What {@code /api/outbox} shows of it. */
    Object status();

    /** The outbox part of {@code /health}. */
    HealthPart health();

    @Override
    void close();

    /** Sends nothing: no box is configured. */
    static OutboxSender keeping() {
        return new OutboxSender() {
            @Override
            public void wake() {
            }

            @Override
            public void boxRecovered() {
            }

            @Override
            public Object status() {
                return "no Bitrix24 box configured: nothing is sent";
            }

            @Override
            public HealthPart health() {
                return HealthPart.notConfigured("outbox", "calls are kept until a Bitrix24 box is configured");
            }

            @Override
            public void close() {
            }
        };
    }
}
