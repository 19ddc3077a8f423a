package io.b24bridge.settings;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When the company calls website visitors back: on these days, from {@code start} to {@code end} in the site's time
 * zone, except on the holidays. Read by callbacks: outside these hours nobody is rung and a task is set for the first
 * working hour instead. Written as the task templates' working hours are ({@code start}, {@code end}, {@code days},
 * {@code timeZone}), with the holidays added.
 *
 * @param start    when the working day begins ({@code HH:mm}); default 09:00
 * @param end      when it ends ({@code HH:mm}, after {@code start}); default 18:00
 * @param days     the working days ({@code MONDAY}…{@code SUNDAY}); default Monday to Friday
 * @param timeZone the site's zone (e.g. {@code Europe/Moscow}); the hours and holidays are in it; default UTC
 * @param holidays days off on working days ({@code yyyy-MM-dd})
 */
public record WorkingHours(String start, String end, List<DayOfWeek> days, String timeZone, List<String> holidays) {

    public WorkingHours {
        start = start == null || start.isBlank() ? "09:00" : start.strip();
        end = end == null || end.isBlank() ? "18:00" : end.strip();
        days = days == null ? List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY) : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(days));
        timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.strip();
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
    }

    void validate(Problems p) {
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            p.add("timeZone", "must be a time zone such as Europe/Moscow (was '" + timeZone + "')");
        }
        if (days.isEmpty() || days.stream().anyMatch(Objects::isNull)) {
            p.add("days", "must name at least one day, e.g. [\"MONDAY\", \"FRIDAY\"], and no empty entry");
        }
        Optional<LocalTime> from = time(start);
        Optional<LocalTime> to = time(end);
        if (from.isEmpty()) {
            p.add("start", "must be a time of day as HH:mm, e.g. 09:00 (was '" + start + "')");
        }
        if (to.isEmpty()) {
            p.add("end", "must be a time of day as HH:mm, e.g. 18:00 (was '" + end + "')");
        }
        if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
            p.add("end", "must be after start (" + start + ")");
        }
        p.maxItems("holidays", holidays, 400);
        for (String h : holidays) {
            if (date(h).isEmpty()) {
                p.add("holidays", "must be dates yyyy-MM-dd (was '" + h + "')");
                break;
            }
        }
    }

    /** Whether a callback asked for at {@code at} is rung for now. */
    public boolean open(Instant at) {
        ZonedDateTime t = at.atZone(ZoneId.of(timeZone));
        return workingDay(t.toLocalDate()) && !t.toLocalTime().isBefore(time(start).orElseThrow())
                && t.toLocalTime().isBefore(time(end).orElseThrow());
    }

    /** The first working moment at or after {@code at} (a year ahead at most: a calendar of only holidays has none). */
    public Optional<Instant> nextOpening(Instant at) {
        ZoneId zone = ZoneId.of(timeZone);
        ZonedDateTime t = at.atZone(zone);
        LocalTime opens = time(start).orElseThrow();
        for (int i = 0; i <= 370; i++) {
            LocalDate d = t.toLocalDate().plusDays(i);
            if (!workingDay(d)) {
                continue;
            }
            ZonedDateTime opening = d.atTime(opens).atZone(zone);
            if (i == 0 && open(at)) {
                return Optional.of(at);
            }
            if (opening.toInstant().isAfter(at) || opening.toInstant().equals(at)) {
                return Optional.of(opening.toInstant());
            }
        }
        return Optional.empty();
    }

    private boolean workingDay(LocalDate d) {
        return days.contains(d.getDayOfWeek())
                && holidays.stream().map(WorkingHours::date).flatMap(Optional::stream).noneMatch(d::equals);
    }

    private static Optional<LocalTime> time(String t) {
        try {
            return Optional.of(LocalTime.parse(t));
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> date(String d) {
        try {
            return Optional.of(LocalDate.parse(d));
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
