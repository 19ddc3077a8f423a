package io.b24bridge.routing;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Review probe P11 (F5): callers with ever new numbers do not pile questions up behind a CRM that holds them. */
class AnswerCacheTest {

    @Test
    void atMostSoManyQuestionsAreOutAtOnce() throws Exception {
        CountDownLatch crmAnswers = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            AnswerCache<String> cache = new AnswerCache<>(key -> {
                asked.incrementAndGet();
                try {
                    crmAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.of(key);
            }, executor, RoutingTime.SYSTEM, ok -> { }, () -> { });
            for (int i = 0; i < AnswerCache.MAX_IN_FLIGHT; i++) {
                assertNotNull(cache.load("+7900000" + i));
            }
            assertNull(cache.load("+79001110000"), "one more new number is not asked about");
            assertNotNull(cache.load("+79000000"), "a number already being asked about shares that question");
            crmAnswers.countDown();
            executor.shutdown();
        }
        assertEquals(AnswerCache.MAX_IN_FLIGHT, asked.get());
    }
}
