package io.b24bridge.tasks;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

import io.b24bridge.settings.TaskTemplates;

/**
 * A task's deadline counted in working time: "two working hours after the missed call" from a call on Friday at
 * 17:30 (working 09:00–18:00, Monday to Friday) is Monday 10:30. A call outside working time starts the count at
 * the next opening.
 */
public record WorkingTime(LocalTime start, LocalTime end, Set<DayOfWeek> days, ZoneId zone) {

    public WorkingTime {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("working time must end after it starts: " + start + "–" + end);
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException("working time needs at least one day");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** From the settings; an empty time zone is the appliance's own. */
    public static WorkingTime of(TaskTemplates.WorkingHours h) {
        ZoneId zone = h.timeZone() == null || h.timeZone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(h.timeZone());
        return new WorkingTime(LocalTime.parse(h.start()), LocalTime.parse(h.end()), EnumSet.copyOf(h.days()), zone);
    }

    /** The moment {@code minutes} of working time after {@code from}. */
    public Instant after(Instant from, int minutes) {
        ZonedDateTime t = from.atZone(zone);
        long remaining = minutes;
        // a week holds at least one working day: a year of iterations bounds any offset the settings allow
        for (int i = 0; i < 400; i++) {
            LocalTime now = t.toLocalTime();
            if (!days.contains(t.getDayOfWeek()) || !now.isBefore(end)) {
                t = nextOpening(t);
                continue;
            }
            if (now.isBefore(start)) {
                t = t.with(start);
            }
            long available = Duration.between(t.toLocalTime(), end).toMinutes();
            if (remaining <= available) {
                return t.plusMinutes(remaining).toInstant();
            }
            remaining -= available;
            t = nextOpening(t);
        }
        throw new IllegalStateException("no deadline within 400 days of " + from);
    }

    private ZonedDateTime nextOpening(ZonedDateTime t) {
        return t.toLocalDate().plusDays(1).atTime(start).atZone(zone);
    }
}
