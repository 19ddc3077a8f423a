package io.b24bridge.testkit.bitrix;

/**
 * Which box the emulator plays (contract §1): a {@link #CURRENT} box refuses webhook auth for the telephony
 * methods that "work only in the context of an application" ({@code WRONG_AUTH_TYPE}); an {@link #OLDER} box
 * accepts them, as public integrations (asterlink, bitrix-asterisk) relied on.
 */
public enum Mode {
    CURRENT,
    OLDER;

    static Mode parse(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "current" -> CURRENT;
            case "older", "old" -> OLDER;
            default -> throw new IllegalArgumentException("mode must be current or older: " + s);
        };
    }
}
