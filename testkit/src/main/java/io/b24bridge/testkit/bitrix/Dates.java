package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Dates as the box writes them: ISO 8601 with the zone offset, to the second ({@code 2026-03-07T10:20:30+03:00}). */
final class Dates {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private Dates() {
    }

    static String format(Instant t) {
        return t == null ? null : ISO.format(t.atZone(ZoneId.systemDefault()));
    }

    /** ISO 8601 with an offset; null when it is not that (the caller answers the error). */
    static Instant parse(String s) {
        try {
            return OffsetDateTime.parse(s.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
