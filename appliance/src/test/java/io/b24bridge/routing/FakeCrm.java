package io.b24bridge.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CRM directory for routing's tests: the demo's people, an outage on demand, a CRM that holds its answers
 * until the test lets them go, and a count of the questions it was asked (a cache hit must ask none). Its
 * {@link Time} is routing's clock in these tests: it moves only when a decision would wait for a held answer
 * (by the whole wait, as if it had passed) or when the test moves it.
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
    final AtomicInteger answers = new AtomicInteger();
    /** Questions the CRM holds now (it is slow). */
    final AtomicInteger held = new AtomicInteger();
    final Time time = new Time();
    volatile boolean down;
    private volatile CountDownLatch slow = new CountDownLatch(0);

    /** From now on the CRM holds every answer until {@link #answerNow()}. */
    void beSlow() {
        slow = new CountDownLatch(1);
    }

    /** The CRM lets the answers it holds go, and answers at once from now on. */
    void answerNow() {
        slow.countDown();
    }

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
        CountDownLatch gate = slow;
        if (gate.getCount() > 0) {
            held.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held.decrementAndGet();
            }
        }
        if (down) {
            throw new Unavailable("Bitrix24 is down", null);
        }
        answers.incrementAndGet();
    }

    /** Routing's clock in these tests. */
    final class Time implements RoutingTime {

        private final AtomicLong nanos = new AtomicLong();

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        /** How far the clock moved from {@code since} (a reading of {@link #nanos()}). */
        Duration since(long since) {
            return Duration.ofNanos(nanos.get() - since);
        }

        @Override
        public long nanos() {
            return nanos.get();
        }

        /**
         * An answer that comes is taken as it comes; one the CRM holds is waited for the whole {@code wait}
         * (the clock moves by it) and times out. Which of the two it is, the CRM's state tells, not a race.
         */
        @Override
        public <T> T await(Future<T> answer, long wait) throws ExecutionException, TimeoutException,
                InterruptedException {
            while (!answer.isDone()) {
                if (held.get() > 0) {
                    nanos.addAndGet(wait);
                    throw new TimeoutException("the CRM holds its answer");
                }
                Thread.onSpinWait();
            }
            return answer.get();
        }
    }
}
