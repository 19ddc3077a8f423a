package io.b24bridge.testkit.bitrix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a click-to-call or callback request set off: the call the box registered for it (click-to-call) and one
 * delivery per bound handler, running in the background.
 */
public record Dispatch(String callId, List<CompletableFuture<Delivery>> deliveries) {

    /** Waits until every delivery ended (delivered or given up). */
    public List<Delivery> await(Duration timeout) {
        List<Delivery> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<Delivery> f : deliveries) {
            try {
                out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for deliveries", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("delivery did not end within " + timeout, e);
            }
        }
        return out;
    }
}
