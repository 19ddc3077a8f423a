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
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When the company calls website visitors back: on these days, between {@code from} and {@code to} in the site's time
 * zone, except on the holidays. Read by callbacks: outside these hours nobody is rung and a task is set for the first
 * working hour instead.
 *
 * @param timeZone the site's zone (e.g. {@code Europe/Moscow}); the hours and holidays are in it
 * @param days     the working days ({@code MON}…{@code SUN}); default Monday to Friday
 * @param from     when the working day begins ({@code HH:mm}); default 09:00
 * @param to       when it ends ({@code HH:mm}, after {@code from}); default 18:00
 * @param holidays days off on working days ({@code yyyy-MM-dd})
 */
public record WorkingHours(String timeZone, List<String> days, String from, String to, List<String> holidays) {

    public WorkingHours {
        timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.strip();
        days = days == null || days.isEmpty() ? List.of("MON", "TUE", "WED", "THU", "FRI") : List.copyOf(days);
        from = from == null || from.isBlank() ? "09:00" : from.strip();
        to = to == null || to.isBlank() ? "18:00" : to.strip();
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
    }

    void validate(Problems p) {
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            p.add("timeZone", "must be a time zone such as Europe/Moscow (was '" + timeZone + "')");
        }
        for (String d : days) {
            if (day(d).isEmpty()) {
                p.add("days", "must be days MON, TUE, WED, THU, FRI, SAT, SUN (was '" + d + "')");
                break;
            }
        }
        Optional<LocalTime> start = time(from);
        Optional<LocalTime> end = time(to);
        if (start.isEmpty()) {
            p.add("from", "must be a time HH:mm (was '" + from + "')");
        }
        if (end.isEmpty()) {
            p.add("to", "must be a time HH:mm (was '" + to + "')");
        }
        if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
            p.add("to", "must be after from (" + from + ")");
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
        return workingDay(t.toLocalDate()) && !t.toLocalTime().isBefore(time(from).orElseThrow())
                && t.toLocalTime().isBefore(time(to).orElseThrow());
    }

    /** The first working moment at or after {@code at} (a year ahead at most: a calendar of only holidays has none). */
    public Optional<Instant> nextOpening(Instant at) {
        ZoneId zone = ZoneId.of(timeZone);
        ZonedDateTime t = at.atZone(zone);
        LocalTime start = time(from).orElseThrow();
        for (int i = 0; i <= 370; i++) {
            LocalDate d = t.toLocalDate().plusDays(i);
            if (!workingDay(d)) {
                continue;
            }
            ZonedDateTime opening = d.atTime(start).atZone(zone);
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
        return days.stream().map(WorkingHours::day).flatMap(Optional::stream).anyMatch(w -> w == d.getDayOfWeek())
                && holidays.stream().map(WorkingHours::date).flatMap(Optional::stream).noneMatch(d::equals);
    }

    private static Optional<DayOfWeek> day(String d) {
        String s = Objects.requireNonNullElse(d, "").strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (!s.isEmpty() && w.name().startsWith(s) && s.length() >= 3) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
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
