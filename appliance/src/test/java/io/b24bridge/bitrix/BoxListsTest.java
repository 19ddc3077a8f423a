package io.b24bridge.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The box's lists for the panel's pickers are kept a minute, a failure a quarter of one: opening the settings again
 * and again asks the box once, and a box that is away is not asked (and waited for) by every page view.
 */
class BoxListsTest {

    /** The time the test moves on. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-03T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final TestClock clock = new TestClock();
    final AtomicInteger asked = new AtomicInteger();
    volatile boolean away;

    final BoxLists lists = new BoxLists(() -> {
        asked.incrementAndGet();
        if (away) {
            throw new BoxException.Retryable("crm.status.list", "CONNECT", "connection refused", null);
        }
        return List.of(new BoxLists.LeadSource("CALL", "Звонок"), new BoxLists.LeadSource("WEB", "Сайт"));
    }, () -> List.of(new BoxLists.Person(7, "яков Ступин", null), new BoxLists.Person(4, "Анна Петрова", "101"),
            new BoxLists.Person(2, "Admin", null)), clock);

    @Test
    void aListIsReadOnceAMinute() throws Exception {
        assertEquals("CALL", lists.leadSources().getFirst().id());
        lists.leadSources();
        clock.advance(Duration.ofSeconds(59));
        lists.leadSources();
        assertEquals(1, asked.get(), "kept for a minute");
        clock.advance(Duration.ofSeconds(2));
        lists.leadSources();
        assertEquals(2, asked.get(), "read again after it");
    }

    @Test
    void aBoxThatIsAwayIsAskedAgainOnlyAfterAPause() throws Exception {
        away = true;
        BoxException e = assertThrows(BoxException.class, lists::leadSources);
        assertEquals("CONNECT", e.code());
        assertThrows(BoxException.class, lists::leadSources);
        assertEquals(1, asked.get(), "the failure is kept too");
        away = false;
        clock.advance(Duration.ofSeconds(16));
        assertEquals(2, lists.leadSources().size());
        assertEquals(2, asked.get());
    }

    @Test
    void usersComeByNameWhateverCase() throws Exception {
        assertEquals(List.of(2, 4, 7), lists.users().stream().map(BoxLists.Person::id).toList());
    }
}
