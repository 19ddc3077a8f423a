package io.b24bridge.settings;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When callbacks ring: the working days and hours in the site's zone, holidays off. */
class WorkingHoursTest {

    /** Monday to Friday, 09:00-18:00 in Moscow (UTC+3), New Year's Eve off. */
    final WorkingHours moscow = new WorkingHours(null, null, null, "Europe/Moscow", List.of("2026-12-31"));

    @Test
    void aWeekdayInsideTheHoursInTheSitesZoneIsOpen() {
        assertTrue(moscow.open(Instant.parse("2026-12-02T06:00:00Z")), "Wednesday 09:00 in Moscow");
        assertTrue(moscow.open(Instant.parse("2026-12-02T14:59:59Z")), "Wednesday 17:59:59");
        assertFalse(moscow.open(Instant.parse("2026-12-02T15:00:00Z")), "18:00 is closed");
        assertFalse(moscow.open(Instant.parse("2026-12-02T05:59:00Z")), "08:59 is not yet open");
    }

    @Test
    void weekendsAndHolidaysAreClosed() {
        assertFalse(moscow.open(Instant.parse("2026-12-05T09:00:00Z")), "Saturday noon");
        assertFalse(moscow.open(Instant.parse("2026-12-31T09:00:00Z")), "a Thursday, but a holiday");
    }

    @Test
    void theNextOpeningSkipsTheWeekendAndTheHolidays() {
        assertEquals(Optional.of(Instant.parse("2026-12-07T06:00:00Z")),
                moscow.nextOpening(Instant.parse("2026-12-05T09:00:00Z")), "Saturday → Monday 09:00 Moscow");
        assertEquals(Optional.of(Instant.parse("2027-01-01T06:00:00Z")),
                moscow.nextOpening(Instant.parse("2026-12-30T16:00:00Z")), "Wednesday evening → Friday (Thursday off)");
        assertEquals(Optional.of(Instant.parse("2026-12-03T06:00:00Z")),
                moscow.nextOpening(Instant.parse("2026-12-02T20:00:00Z")), "after hours → the next morning");
        Instant open = Instant.parse("2026-12-02T08:00:00Z");
        assertEquals(Optional.of(open), moscow.nextOpening(open), "open now: now");
    }

    @Test
    void aCalendarOfOnlyHolidaysHasNoOpening() {
        WorkingHours never = new WorkingHours(null, null, List.of(java.time.DayOfWeek.SUNDAY), "UTC",
                java.util.stream.IntStream.range(0, 60).mapToObj(w -> java.time.LocalDate.parse("2026-12-06")
                        .plusWeeks(w).toString()).toList());
        assertEquals(Optional.empty(), never.nextOpening(Instant.parse("2026-12-02T08:00:00Z")));
    }

    @Test
    void wrongValuesAreNamed() {
        Problems p = new Problems();
        new WorkingHours("9 am", "08:00", List.of(), "Mars/Olympus", List.of("31.12.2026")).validate(p);
        List<String> fields = p.errors().stream().map(FieldError::field).toList();
        assertEquals(List.of("timeZone", "days", "start", "holidays"), fields, p.errors().toString());
        Problems q = new Problems();
        new WorkingHours("18:00", "09:00", null, "UTC", null).validate(q);
        assertEquals("end", q.errors().getFirst().field());
    }
}
