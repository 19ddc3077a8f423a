package io.b24bridge.access;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accounts' passwords are kept as Argon2id PHC strings: salted, slow, and only the right password opens them. */
class PasswordHashTest {

    @Test
    void theRightPasswordOpensItsHashAndNothingElseDoes() {
        SecureRandom random = new SecureRandom();
        long t0 = System.nanoTime();
        String phc = PasswordHash.hash("correct horse battery".toCharArray(), random);
        long hashMs = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        assertTrue(PasswordHash.verify("correct horse battery".toCharArray(), phc));
        long verifyMs = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("MEASURE Argon2id m=%d KiB t=%d p=%d: first hash %d ms (cold JVM), a sign-in's check %d ms%n",
                PasswordHash.MEMORY_KIB, PasswordHash.ITERATIONS, PasswordHash.PARALLELISM, hashMs, verifyMs);

        assertTrue(phc.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), phc);
        assertFalse(PasswordHash.verify("correct horse batterY".toCharArray(), phc));
        assertFalse(PasswordHash.verify("".toCharArray(), phc));

        // the same password twice gives two hashes (a salt each): equal passwords do not show in the table
        assertNotEquals(phc, PasswordHash.hash("correct horse battery".toCharArray(), random));
    }

    @Test
    void aStoredValueThatIsNoArgon2idHashOpensNothing() {
        assertFalse(PasswordHash.verify("x".toCharArray(), null));
        assertFalse(PasswordHash.verify("x".toCharArray(), "x"));
        assertFalse(PasswordHash.verify("x".toCharArray(), "$2a$10$abcdefghijklmnopqrstuv"));
        // a planted cost that would take the machine's memory (m = 4 GiB) is refused before it is tried
        assertFalse(PasswordHash.verify("x".toCharArray(), "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"));
    }
}
