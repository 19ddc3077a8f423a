package io.b24bridge.routing;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Routing's time: a monotonic reading for deadlines, cache ages and the away pause, and the wait for the CRM's
 * answer up to a deadline. The system's in production; a test brings its own, which moves only when it says, so
 * deadlines are proven without sleeping.
 */
public interface RoutingTime {

    RoutingTime SYSTEM = new RoutingTime() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public <T> T await(Future<T> answer, long nanos)
                throws ExecutionException, TimeoutException, InterruptedException {
            return answer.get(nanos, TimeUnit.NANOSECONDS);
        }
    };

    /** Nanoseconds on a monotonic scale (differences count, not the value). */
    long nanos();

    /** The answer, waited for at most {@code nanos}; a {@link TimeoutException} when it did not come in time. */
    <T> T await(Future<T> answer, long nanos) throws ExecutionException, TimeoutException, InterruptedException;
}
