package io.b24bridge.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The box's own lists an administrator picks from in the panel: the lead sources ({@code crm.status.list},
 * ENTITY_ID SOURCE) and the active users ({@code user.get}). Each is kept for {@link #MAX_AGE}, so opening the
 * settings again and again does not ask the box each time; a failure is kept for {@link #FAILURE_AGE}, so a box
 * that is away (each question waiting for its timeout) is not asked by every page view either.
 */
public final class BoxLists {

    static final Duration MAX_AGE = Duration.ofMinutes(1);
    static final Duration FAILURE_AGE = Duration.ofSeconds(15);

    /** A lead source: its STATUS_ID, which a route names, and its name as the CRM shows it. */
    public record LeadSource(String id, String name) {
    }

    /** An active user: their id, which a route names, their name, and their extension (null without one). */
    public record Person(int id, String name, String extension) {
    }

    /** What the box said, or why it could not be asked, and when. */
    private record Read<T>(List<T> list, BoxException failure, Instant at) {
    }

    /** One list, read whole from the box. */
    @FunctionalInterface
    public interface Reader<T> {
        List<T> read() throws BoxException;
    }

    private final Reader<LeadSource> sourcesReader;
    private final Reader<Person> usersReader;
    private final Clock clock;
    private final Object sourcesLock = new Object();
    private final Object usersLock = new Object();
    private Read<LeadSource> sources;
    private Read<Person> users;

    BoxLists(Reader<LeadSource> sources, Reader<Person> users, Clock clock) {
        this.sourcesReader = sources;
        this.usersReader = users;
        this.clock = clock;
    }

    /** The lists of the box {@code crm} asks. */
    public static BoxLists of(CrmApi crm, Clock clock) {
        return new BoxLists(() -> crm.leadSources().entrySet().stream()
                .map(e -> new LeadSource(e.getKey(), e.getValue())).toList(),
                () -> crm.activeUsers().stream()
                        .map(u -> new Person(u.id(), u.name().isEmpty() ? "#" + u.id() : u.name(), u.extension()))
                        .toList(),
                clock);
    }

    /** The lead sources as the box lists them. */
    public List<LeadSource> leadSources() throws BoxException {
        Read<LeadSource> r;
        synchronized (sourcesLock) {
            sources = fresh(sources, sourcesReader);
            r = sources;
        }
        return answer(r);
    }

    /** The active users, by name. */
    public List<Person> users() throws BoxException {
        Read<Person> r;
        synchronized (usersLock) {
            users = fresh(users, () -> usersReader.read().stream()
                    .sorted(Comparator.comparing((Person p) -> p.name().toLowerCase(Locale.ROOT))
                            .thenComparingInt(Person::id))
                    .toList());
            r = users;
        }
        return answer(r);
    }

    /**
     * The read kept, or a new one when it is older than its age. Under the list's lock: two pages opened together
     * wait for one question to the box, not one each (the other list has its own).
     */
    private <T> Read<T> fresh(Read<T> kept, Reader<T> reader) {
        Instant now = clock.instant();
        if (kept != null && Duration.between(kept.at(), now)
                .compareTo(kept.failure() == null ? MAX_AGE : FAILURE_AGE) < 0) {
            return kept;
        }
        try {
            return new Read<>(reader.read(), null, now);
        } catch (BoxException e) {
            return new Read<>(null, e, now);
        }
    }

    private static <T> List<T> answer(Read<T> r) throws BoxException {
        if (r.failure() != null) {
            throw r.failure();
        }
        return r.list();
    }
}
