package io.b24bridge.outbox;

import java.time.Instant;
import java.util.List;

import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmCommand.UserRef;
import io.b24bridge.outbox.StoredCallState.Key;

/**
 * A command as {@code OUTBOX.PAYLOAD} stores it, by its {@code KIND}: the shapes version 0.1 wrote (no
 * {@code v}), now with their version. Kept apart from the domain's {@link CrmCommand} so the domain can change
 * while the commands an installed appliance has queued stay readable: a new shape gets a new version and a
 * conversion here, never an edit of an old one ({@code StoredRowsCompatibilityTest} reads the rows 0.1 wrote).
 */
sealed interface StoredCommand {

    int VERSION = 1;

    /** The shape's version; absent in rows of 0.1, which have these same shapes. */
    Integer v();

    CrmCommand toDomain();

    /** A user as a Bitrix24 user id or an extension. */
    record User(Integer userId, String extension) {

        static User of(UserRef u) {
            return u == null ? null : new User(u.userId(), u.extension());
        }

        UserRef toDomain() {
            return new UserRef(userId, extension);
        }
    }

    record Register(Integer v, Key call, User user, String clientNumber, boolean outgoing, Instant startedAt,
                    boolean crmCreate, String leadSource, String lineNumber, boolean show) implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.Register(call.toDomain(), user.toDomain(), clientNumber, outgoing, startedAt,
                    crmCreate, leadSource, lineNumber, show);
        }
    }

    record Show(Integer v, Key call, List<User> users) implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.Show(call.toDomain(), users.stream().map(User::toDomain).toList());
        }
    }

    record Hide(Integer v, Key call, List<User> users) implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.Hide(call.toDomain(), users.stream().map(User::toDomain).toList());
        }
    }

    record Finish(Integer v, Key call, User user, int talkSeconds, String statusCode, Integer vote,
                  boolean addToChat) implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.Finish(call.toDomain(), user.toDomain(), talkSeconds, statusCode, vote, addToChat);
        }
    }

    record AttachRecording(Integer v, Key call, String recordingFile) implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.AttachRecording(call.toDomain(), recordingFile);
        }
    }

    record RatingComment(Integer v, Key call, int vote, User operator, Instant ratedAt) implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.RatingComment(call.toDomain(), vote, operator == null ? null : operator.toDomain(),
                    ratedAt);
        }
    }

    record MissedCallTask(Integer v, Key call, String clientNumber, String did, Instant missedAt, int waitSeconds,
                          Integer clientResponsible, Integer routeDefault, String lastRinging) implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.MissedCallTask(call.toDomain(), clientNumber, did, missedAt, waitSeconds,
                    clientResponsible, routeDefault, lastRinging);
        }
    }

    record CallerReached(Integer v, Key call, String clientNumber, Instant at, boolean outgoing)
            implements StoredCommand {
        @Override
        public CrmCommand toDomain() {
            return new CrmCommand.CallerReached(call.toDomain(), clientNumber, at, outgoing);
        }
    }

    static StoredCommand of(CrmCommand c) {
        Key k = Key.of(c.call());
        return switch (c) {
            case CrmCommand.Register r -> new Register(VERSION, k, User.of(r.user()), r.clientNumber(), r.outgoing(),
                    r.startedAt(), r.crmCreate(), r.leadSource(), r.lineNumber(), r.show());
            case CrmCommand.Show s -> new Show(VERSION, k, s.users().stream().map(User::of).toList());
            case CrmCommand.Hide h -> new Hide(VERSION, k, h.users().stream().map(User::of).toList());
            case CrmCommand.Finish f -> new Finish(VERSION, k, User.of(f.user()), f.talkSeconds(), f.statusCode(),
                    f.vote(), f.addToChat());
            case CrmCommand.AttachRecording a -> new AttachRecording(VERSION, k, a.recordingFile());
            case CrmCommand.RatingComment r -> new RatingComment(VERSION, k, r.vote(), User.of(r.operator()),
                    r.ratedAt());
            case CrmCommand.MissedCallTask m -> new MissedCallTask(VERSION, k, m.clientNumber(), m.did(), m.missedAt(),
                    m.waitSeconds(), m.clientResponsible(), m.routeDefault(), m.lastRinging());
            case CrmCommand.CallerReached r -> new CallerReached(VERSION, k, r.clientNumber(), r.at(), r.outgoing());
        };
    }

    /** The name {@code OUTBOX.KIND} stores. */
    static String kind(CrmCommand c) {
        return switch (c) {
            case CrmCommand.Register r -> "REGISTER";
            case CrmCommand.Show s -> "SHOW";
            case CrmCommand.Hide h -> "HIDE";
            case CrmCommand.Finish f -> "FINISH";
            case CrmCommand.AttachRecording a -> "ATTACH_RECORD";
            case CrmCommand.RatingComment r -> "RATING_COMMENT";
            case CrmCommand.MissedCallTask m -> "MISSED_CALL_TASK";
            case CrmCommand.CallerReached r -> "CALLER_REACHED";
        };
    }

    /** The stored shape of a {@code KIND}. */
    static Class<? extends StoredCommand> type(String kind) {
        return switch (kind) {
            case "REGISTER" -> Register.class;
            case "SHOW" -> Show.class;
            case "HIDE" -> Hide.class;
            case "FINISH" -> Finish.class;
            case "ATTACH_RECORD" -> AttachRecording.class;
            case "RATING_COMMENT" -> RatingComment.class;
            case "MISSED_CALL_TASK" -> MissedCallTask.class;
            case "CALLER_REACHED" -> CallerReached.class;
            default -> throw new IllegalArgumentException("unknown command kind " + kind);
        };
    }
}
