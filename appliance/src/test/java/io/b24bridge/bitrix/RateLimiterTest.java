package io.b24bridge.bitrix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client's pace follows a box whose limit is met (refusals one after another) and not one that refuses a
 * request now and then between requests it takes (a busy box, the fault suite's 20 % of 503/429).
 */
class RateLimiterTest {

    @Test
    void refusalsBetweenTakenRequestsDoNotSlowTheClientDown() {
        RateLimiter limiter = new RateLimiter(50, 100);
        limiter.took();
        for (int i = 0; i < 20; i++) {
            limiter.took();
            limiter.took();
            limiter.took();
            limiter.took();
            limiter.pushBack();
        }
        assertEquals(50, limiter.rate(), 0.001);
    }

    @Test
    void refusalsOneAfterAnotherHalveTheRate() {
        RateLimiter limiter = new RateLimiter(50, 100);
        limiter.pushBack();
        assertEquals(25, limiter.rate(), 0.001, "nothing taken before the first refusal");
        limiter.pushBack();
        assertEquals(12.5, limiter.rate(), 0.001);
        limiter.took();
        limiter.pushBack();
        assertEquals(12.5, limiter.rate(), 0.001, "the box took one in between: a passing refusal");
    }
}
