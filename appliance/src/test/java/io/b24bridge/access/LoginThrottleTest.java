package io.b24bridge.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Guessing passwords: five free tries, then a lock that doubles up to 15 minutes, per account and per address. */
class LoginThrottleTest {

    private Instant now = Instant.parse("2026-12-02T12:00:00Z");
    private final LoginThrottle throttle = new LoginThrottle(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void fiveWrongPasswordsLockTheAccountThirtySecondsThenLongerUpToFifteenMinutes() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("admin", "10.0.0." + i);
        }
        assertEquals(Optional.empty(), throttle.wait("admin", "10.0.0.9"));
        throttle.failed("admin", "10.0.0.5");
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.wait("admin", "10.0.0.9"),
                "the fifth failure locks the name, whatever address tries next");

        now = now.plusSeconds(30);
        assertEquals(Optional.empty(), throttle.wait("admin", "10.0.0.9"));
        throttle.failed("admin", "10.0.0.9");
        assertEquals(Optional.of(Duration.ofSeconds(60)), throttle.wait("admin", "10.0.0.9"), "then doubled");
        for (int i = 0; i < 10; i++) {
            throttle.failed("admin", "10.0.0.9");
        }
        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.wait("admin", "10.0.0.9"), "never longer");
        System.out.println("MEASURE login throttle: 5 free failures, then 30 s, 60 s, 120 s ... at most 900 s");
    }

    @Test
    void oneAddressTryingManyNamesIsLockedToo() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.wait("someone-else", "192.0.2.7"));
        assertEquals(Optional.empty(), throttle.wait("someone-else", "192.0.2.8"));
    }

    @Test
    void aGoodSignInClearsTheCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("admin", "10.0.0.1");
        }
        throttle.succeeded("admin", "10.0.0.1");
        throttle.failed("admin", "10.0.0.1");
        assertEquals(Optional.empty(), throttle.wait("admin", "10.0.0.1"));
    }
}
