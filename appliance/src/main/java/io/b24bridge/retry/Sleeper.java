package io.b24bridge.retry;

import java.time.Duration;

/** Waits: {@link Thread#sleep} in production; tests pass one that records the waits and returns at once. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
