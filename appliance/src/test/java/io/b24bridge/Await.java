package io.b24bridge;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition in a test: checked every 20 ms until it holds or the time is up (then the test fails). */
public final class Await {

    private Await() {
    }

    public static void until(Duration within, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
