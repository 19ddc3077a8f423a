package io.b24bridge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** A database that refuses writes for minutes is one streak in the log: its start, a reminder now and then, its end. */
class FailureStreakTest {

    private final Logger log = Logger.getLogger("FailureStreakTest." + System.nanoTime());
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final FailureStreak streak = new FailureStreak(log, "outbox batch round", now::get, Duration.ofMinutes(5));

    FailureStreakTest() {
        log.setUseParentHandlers(false);
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Test
    void anOutageOfTwelveMinutesFailingTwiceASecondIsFourLines() {
        for (int i = 0; i < 12 * 60 * 2; i++) {
            streak.failed(new IllegalStateException("No space left on device"));
            now.addAndGet(Duration.ofMillis(500).toNanos());
        }
        assertTrue(streak.failing());
        streak.succeeded();
        streak.succeeded(); // no streak to end

        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("outbox batch round failed: No space left on device"), lines.get(0));
        assertTrue(lines.get(1).startsWith("outbox batch round still fails: 601 failures in 300 s"), lines.get(1));
        assertTrue(lines.get(2).startsWith("outbox batch round still fails: 1201 failures in 600 s"), lines.get(2));
        assertEquals("outbox batch round works again after 1440 failures in 720 s", lines.get(3));
        assertFalse(streak.failing());
    }

    @Test
    void aFailureAfterTheEndBeginsANewStreakAndIsLogged() {
        streak.failed(new IllegalStateException("first"));
        streak.succeeded();
        streak.failed(new IllegalStateException("second"));

        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(2).startsWith("outbox batch round failed: second"), lines.get(2));
    }
}
