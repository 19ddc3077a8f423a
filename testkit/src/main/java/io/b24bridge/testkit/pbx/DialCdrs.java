package io.b24bridge.testkit.pbx;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cdr events a real Asterisk's CDR engine would have given for one replayed call whose recording has none (it
 * was captured without cdr_manager: {@code inbound-local-channels-originate}), made from the call's own events as
 * they are sent, so that the simulator writes its Master.csv rows as it does for every other call: cdr_csv writes a
 * row for every call, an originated one too. <b>Synthesized, not recorded.</b> It writes what the recorded calls with
 * Cdr events show Asterisk 22 writing (e.g. {@code inbound-did-ringgroup-101-answers-102-cancelled}): one row per
 * dial of a calling channel (party A) to a dialled one (party B) — answered: from party A's creation, answered when
 * the dial said ANSWER, ended when the first of the two hung up; not answered: ended when its dial ended, the
 * disposition from the dial status. Not synthesized: rows of channels in no dial at all (the second halves of Local
 * channels, which a real PBX may also write; they say nothing of who talked to whom), and any row for a channel that
 * never hung up (a PBX that crashed mid-call writes nothing for it).
 */
final class DialCdrs {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A dial from party A to party B, as its DialBegin and DialEnd told it. */
    private static final class Dial {
        final AmiMessage begin;
        final Instant beganAt;
        String status;
        Instant endedAt;
        Instant answeredAt;

        Dial(AmiMessage begin, Instant beganAt) {
            this.begin = begin;
            this.beganAt = beganAt;
        }
    }

    private final Map<String, Instant> created = new HashMap<>();
    private final Map<String, Instant> hungUp = new HashMap<>();
    private final List<Dial> dials = new ArrayList<>();

    /** Every event of the call, as it is sent at {@code at}. */
    void observe(AmiMessage event, Instant at) {
        String name = event.event();
        if (name == null) {
            return;
        }
        switch (name) {
            case "Newchannel" -> created.putIfAbsent(nz(event.get("Uniqueid")), at);
            case "Hangup" -> hungUp.putIfAbsent(nz(event.get("Uniqueid")), at);
            // an originate's dial has no calling channel: its channel is party A of the dials it makes itself
            case "DialBegin" -> {
                if (event.get("Uniqueid") != null && event.get("DestUniqueid") != null) {
                    dials.add(new Dial(event, at));
                }
            }
            case "DialEnd" -> {
                for (Dial d : dials) {
                    if (d.endedAt == null && d.begin.get("Uniqueid").equals(event.get("Uniqueid"))
                            && d.begin.get("DestUniqueid").equals(event.get("DestUniqueid"))) {
                        d.status = nz(event.get("DialStatus"));
                        d.endedAt = at;
                        d.answeredAt = "ANSWER".equals(d.status) ? at : null;
                        break;
                    }
                }
            }
            default -> {
            }
        }
    }

    /** The Cdr events of the call's dials, once it is over (empty for one whose party A never hung up). */
    List<AmiMessage> cdrs() {
        List<AmiMessage> out = new ArrayList<>();
        for (Dial d : dials) {
            String a = d.begin.get("Uniqueid");
            Instant aHungUp = hungUp.get(a);
            if (aHungUp == null) {
                continue;
            }
            Instant start = created.getOrDefault(a, d.beganAt);
            Instant end;
            if (d.answeredAt != null) {
                Instant bHungUp = hungUp.getOrDefault(d.begin.get("DestUniqueid"), aHungUp);
                end = bHungUp.isBefore(aHungUp) ? bHungUp : aHungUp;
            } else {
                end = d.endedAt != null ? d.endedAt : aHungUp;
            }
            String number = nz(d.begin.get("CallerIDNum"));
            String callerName = nz(d.begin.get("CallerIDName"));
            out.add(AmiMessage.of("Event", "Cdr", "Privilege", "cdr,all",
                    "AccountCode", nz(d.begin.get("AccountCode")),
                    "Source", number.equals("<unknown>") ? "" : number,
                    "Destination", nz(d.begin.get("Exten")),
                    "DestinationContext", nz(d.begin.get("Context")),
                    "CallerID", callerName.isEmpty() || callerName.equals("<unknown>") ? "<" + number + ">"
                            : "\"" + callerName + "\" <" + number + ">",
                    "Channel", nz(d.begin.get("Channel")),
                    "DestinationChannel", nz(d.begin.get("DestChannel")),
                    "LastApplication", "Dial",
                    "LastData", nz(d.begin.get("DialString")),
                    "StartTime", format(start),
                    "AnswerTime", d.answeredAt == null ? "" : format(d.answeredAt),
                    "EndTime", format(end),
                    "Duration", String.valueOf(seconds(start, end)),
                    "BillableSeconds", String.valueOf(d.answeredAt == null ? 0 : seconds(d.answeredAt, end)),
                    "Disposition", disposition(d.status),
                    "AMAFlags", "DOCUMENTATION",
                    "UniqueID", a,
                    "UserField", ""));
        }
        return out;
    }

    /** What cdr_csv calls the dial's outcome. */
    private static String disposition(String dialStatus) {
        return switch (dialStatus == null ? "" : dialStatus) {
            case "ANSWER" -> "ANSWERED";
            case "BUSY" -> "BUSY";
            case "CONGESTION", "CHANUNAVAIL" -> "FAILED";
            default -> "NO ANSWER";
        };
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }

    private static String format(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(TIME);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
