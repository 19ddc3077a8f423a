package io.b24bridge.tasks;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.b24bridge.settings.TaskTemplates;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A task's deadline in working time: 09:00–18:00, Monday to Friday, Moscow. 2026-12-04 is a Friday. */
class WorkingTimeTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private final WorkingTime office = new WorkingTime(LocalTime.of(9, 0), LocalTime.of(18, 0),
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), MOSCOW);

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(MOSCOW).toInstant();
    }

    @Test
    void withinTheDayTheOffsetIsPlainTime() {
        assertEquals(at("2026-12-02T12:30"), office.after(at("2026-12-02T10:30"), 120));
    }

    @Test
    void whatDoesNotFitBeforeClosingGoesOnAtTheNextWorkingDaysOpening() {
        // Friday 17:30 + 2 h: 30 min on Friday, 90 min on Monday
        assertEquals(at("2026-12-07T10:30"), office.after(at("2026-12-04T17:30"), 120));
    }

    @Test
    void aCallAtNightOrOnTheWeekendCountsFromTheNextOpening() {
        assertEquals(at("2026-12-03T10:00"), office.after(at("2026-12-02T23:10"), 60));
        assertEquals(at("2026-12-07T09:45"), office.after(at("2026-12-05T11:00"), 45), "Saturday → Monday");
        assertEquals(at("2026-12-02T09:15"), office.after(at("2026-12-02T06:00"), 15), "before opening");
    }

    @Test
    void aWholeWorkingDayEndsAtTheSameMomentTheNextWorkingDay() {
        assertEquals(at("2026-12-07T11:00"), office.after(at("2026-12-04T11:00"), 9 * 60));
    }

    @Test
    void theSettingsDefaultIsNineToSixOnWeekdaysInTheNamedZone() {
        WorkingTime w = WorkingTime.of(new TaskTemplates.WorkingHours(null, null, null, "Europe/Moscow"));
        assertEquals(office, w);
        WorkingTime saturdays = WorkingTime.of(new TaskTemplates.WorkingHours("10:00", "14:00",
                List.of(DayOfWeek.SATURDAY), "Europe/Moscow"));
        assertEquals(at("2026-12-05T11:00"), saturdays.after(at("2026-12-02T12:00"), 60));
    }
}
