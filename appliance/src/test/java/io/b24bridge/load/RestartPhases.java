package io.b24bridge.load;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a restart's time goes, from the appliance's own log lines (their timestamps are the local wall clock, to
 * the millisecond): each milestone as milliseconds after the kill.
 */
final class RestartPhases {

    /** A line's text that marks the end of a phase, and what the phase was. */
    private static final Map<String, String> MILESTONES = new java.util.LinkedHashMap<>();

    static {
        MILESTONES.put("database open in", "database + migrations");
        MILESTONES.put("FastAGI listening", "FastAGI listening");
        MILESTONES.put("jobs started", "jobs (Quartz) started");
        MILESTONES.put("Started all channels", "web listeners");
        MILESTONES.put(" started; admin port", "start() returned");
        MILESTONES.put("AMI link up", "AMI link up (login + channel snapshot)");
    }

    private RestartPhases() {
    }

    static String of(String output, Instant killed) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> m : MILESTONES.entrySet()) {
            for (String line : output.split("\n")) {
                if (line.contains(m.getKey()) && line.length() > 23) {
                    try {
                        Instant at = LocalDateTime.parse(line.substring(0, 23)).atZone(ZoneId.systemDefault())
                                .toInstant();
                        String detail = m.getKey().equals("database open in")
                                ? " (" + line.substring(line.indexOf("database open in")) + ")" : "";
                        found.add(m.getValue() + " " + Duration.between(killed, at).toMillis() + detail);
                    } catch (DateTimeParseException e) {
                        continue;
                    }
                    break;
                }
            }
        }
        return String.join(", ", found);
    }
}
