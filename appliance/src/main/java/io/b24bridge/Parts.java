package io.b24bridge;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What {@link Main#start} started, in order: {@link #close} stops them in reverse, each on its own, so one
 * part failing to stop does not leave the ones before it running.
 */
final class Parts implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Parts.class.getName());

    private record Part(String name, AutoCloseable stop) {
    }

    private final Deque<Part> started = new ArrayDeque<>();

    /** {@code part} was started; {@link #close} closes it. */
    <T extends AutoCloseable> T push(String name, T part) {
        started.push(new Part(name, part));
        return part;
    }

    /** {@code part} was started; {@link #close} runs {@code stop} for it. */
    <T> T push(String name, T part, AutoCloseable stop) {
        started.push(new Part(name, stop));
        return part;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            Part p = started.pop();
            try {
                p.stop().close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "stopping " + p.name() + " failed: " + e.getMessage(), e);
            }
        }
    }
}
