package io.b24bridge.testkit.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels the simulated PBX has right now, kept from the events it sends (Newchannel adds, Hangup
 * removes, the rest updates), so that {@code CoreShowChannels} answers what a real Asterisk would: the calls in
 * progress, e.g. those a replay left half-way.
 */
final class ChannelTable {

    private static final class Channel {
        final Map<String, String> fields = new LinkedHashMap<>();
        final long createdNanos = System.nanoTime();
    }

    private final Map<String, Channel> byUniqueid = new LinkedHashMap<>();

    synchronized void apply(AmiMessage event) {
        String name = event.event();
        String uniqueid = event.get("Uniqueid");
        if (name == null || uniqueid == null) {
            return;
        }
        switch (name) {
            case "Newchannel" -> {
                Channel c = new Channel();
                copy(event, c, "Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName",
                        "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode", "Context", "Exten",
                        "Priority", "Uniqueid", "Linkedid");
                byUniqueid.put(uniqueid, c);
            }
            case "Hangup" -> byUniqueid.remove(uniqueid);
            default -> {
                Channel c = byUniqueid.get(uniqueid);
                if (c == null) {
                    return;
                }
                copy(event, c, "Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName",
                        "ConnectedLineNum", "ConnectedLineName", "Context", "Exten", "Priority", "Linkedid");
                switch (name) {
                    case "Newexten" -> {
                        c.fields.put("Application", nonNull(event.get("Application")));
                        c.fields.put("ApplicationData", nonNull(event.get("AppData")));
                    }
                    case "BridgeEnter" -> c.fields.put("BridgeId", nonNull(event.get("BridgeUniqueid")));
                    case "BridgeLeave" -> c.fields.put("BridgeId", "");
                    case "Rename" -> {
                        if (event.get("Newname") != null) {
                            c.fields.put("Channel", event.get("Newname"));
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }

    private static void copy(AmiMessage from, Channel to, String... names) {
        for (String n : names) {
            String v = from.get(n);
            if (v != null) {
                to.fields.put(n, v);
            }
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** The channels as {@code CoreShowChannel} events (Asterisk 22's fields), for the action {@code actionId}. */
    synchronized List<AmiMessage> coreShowChannels(String actionId) {
        List<AmiMessage> list = new ArrayList<>();
        for (Channel c : byUniqueid.values()) {
            List<AmiMessage.Header> h = new ArrayList<>();
            h.add(new AmiMessage.Header("Event", "CoreShowChannel"));
            if (actionId != null) {
                h.add(new AmiMessage.Header("ActionID", actionId));
            }
            for (String n : List.of("Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName",
                    "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode", "Context", "Exten",
                    "Priority", "Uniqueid", "Linkedid")) {
                h.add(new AmiMessage.Header(n, c.fields.getOrDefault(n, "")));
            }
            h.add(new AmiMessage.Header("BridgeId", c.fields.getOrDefault("BridgeId", "")));
            h.add(new AmiMessage.Header("Application", c.fields.getOrDefault("Application", "")));
            h.add(new AmiMessage.Header("ApplicationData", c.fields.getOrDefault("ApplicationData", "")));
            long s = Duration.ofNanos(System.nanoTime() - c.createdNanos).toSeconds();
            h.add(new AmiMessage.Header("Duration", String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)));
            list.add(new AmiMessage(h));
        }
        return list;
    }

    synchronized int size() {
        return byUniqueid.size();
    }

    synchronized void clear() {
        byUniqueid.clear();
    }
}
