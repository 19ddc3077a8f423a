package io.b24bridge.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CRM directory for routing's tests: the demo's people, a delay and an outage on demand, and a count of
 * the questions it was asked (a cache hit must ask none).
 */
final class FakeCrm implements CrmDirectory {

    static final Person IVAN = new Person(2, "101", "+79161110101", "OPENED");
    static final Person MARIA = new Person(3, "102", "+79161110102", "OPENED");
    static final Person OLEG = new Person(4, "103", "+79161110103", "CLOSED");

    final Map<String, Owner> owners = new HashMap<>(Map.of(
            "+79162000001", new Owner("CONTACT", 1, IVAN),
            "+79032000002", new Owner("CONTACT", 2, MARIA),
            "+79262000003", new Owner("CONTACT", 3, OLEG)));
    final Map<Integer, Person> persons = new HashMap<>(Map.of(2, IVAN, 3, MARIA, 4, OLEG));
    final AtomicInteger questions = new AtomicInteger();
    volatile Duration delay = Duration.ZERO;
    volatile boolean down;

    @Override
    public Optional<Owner> ownerOf(String number, String mobileField) throws Unavailable {
        ask();
        return Optional.ofNullable(owners.get(number));
    }

    @Override
    public Optional<Person> person(int userId, String mobileField) throws Unavailable {
        ask();
        return Optional.ofNullable(persons.get(userId));
    }

    private void ask() throws Unavailable {
        questions.incrementAndGet();
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (down) {
            throw new Unavailable("Bitrix24 is down", null);
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-24T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
