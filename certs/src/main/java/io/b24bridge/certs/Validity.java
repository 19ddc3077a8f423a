package io.b24bridge.certs;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** When a certificate is valid: {@code notBefore} to {@code notAfter}, both inclusive. */
public record Validity(Instant notBefore, Instant notAfter) {

    /** Certificates start a little in the past, so a peer whose clock is a few minutes behind accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    public Validity {
        // X.509 times have whole seconds; truncating here keeps what we print equal to what is signed
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!notAfter.isAfter(notBefore)) {
            throw new CertsException("a certificate must end after it starts (" + notBefore + " .. " + notAfter + ")");
        }
    }

    /** From a few minutes before {@code now} for {@code days} days. */
    public static Validity days(long days, Instant now) {
        if (days < 1) {
            throw new CertsException("a lifetime of " + days + " days is too short: give at least 1");
        }
        return new Validity(now.minus(BACKDATE), now.plus(Duration.ofDays(days)));
    }

    /** From a few minutes ago for {@code days} days. */
    public static Validity days(long days) {
        return days(days, Instant.now());
    }
}
