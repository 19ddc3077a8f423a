package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The world instance seen from the test: it places the carrier's calls and the phones' calls, sets how each
 * phone and outside number behaves when called, and acts for a phone mid-call (hang up, press keys). It
 * follows the world's channels through its own AMI connection.
 */
public final class World {

    private static final Logger LOG = Logger.getLogger(World.class.getName());
    private static final Duration ACTION_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PHONE_CHANNEL = Pattern.compile("PJSIP/([0-9]{2,6})-[0-9a-f]+");

    private final AmiClient ami;
    private final Map<String, WorldCall> calls = new ConcurrentHashMap<>();
    private final Map<String, String> phoneChannels = new ConcurrentHashMap<>();
    private final Map<String, String> liveChannels = new ConcurrentHashMap<>();

    World(AmiClient ami) {
        this.ami = ami;
        ami.addListener(this::onEvent);
    }

    /** How phone {@code extension} behaves when the PBX rings it (default: answers after 1 s, stays). */
    public void phone(String extension, PhoneBehaviour behaviour) throws IOException {
        dbPut("phone", extension, behaviour.dbValue());
    }

    /** How an outside number behaves when the PBX calls it through the carrier (default: as phones). */
    public void outside(String number, PhoneBehaviour behaviour) throws IOException {
        dbPut("outside", number, behaviour.dbValue());
    }

    /** How every outside number without its own behaviour behaves. */
    public void outsideDefault(PhoneBehaviour behaviour) throws IOException {
        dbPut("outside", "default", behaviour.dbValue());
    }

    /** Back to the defaults for every phone and number. */
    public void resetBehaviours() throws IOException {
        for (String family : new String[] {"phone", "outside"}) {
            // "Database entry not found" when the family is already empty: fine
            ami.send(ACTION_TIMEOUT, "DBDelTree", "Family", family);
        }
    }

    /**
     * Originates a call from the world: {@code dialString} is where the calling channel goes
     * ({@code PJSIP/<did>@pbx} for the carrier, {@code PJSIP/<number>@101} for phone 101); once answered it
     * runs {@code script} in the world's [caller] context.
     */
    WorldCall originate(String dialString, String callerId, WorldScript script, String description)
            throws IOException {
        String id = "world-" + UUID.randomUUID();
        WorldCall call = new WorldCall(id, description, this);
        calls.put(id, call);
        AmiMessage r = ami.send(ACTION_TIMEOUT, "Originate",
                "Channel", dialString,
                "Context", "caller", "Exten", "s", "Priority", "1",
                "CallerID", callerId,
                "Timeout", Long.toString(script.giveUpAfter().toMillis()),
                "ChannelId", id,
                "Variable", "TALK=" + PhoneBehaviour.seconds(script.talk()),
                "Variable", "DTMF=" + script.dtmf(),
                "Variable", "DTMF_DELAY=" + PhoneBehaviour.seconds(script.dtmfDelay()),
                "Async", "true");
        if (!r.isSuccess()) {
            calls.remove(id);
            throw new IOException("world refused to originate " + description + ": " + r.get("Message"));
        }
        LOG.fine(() -> "placed " + description + " as " + id);
        return call;
    }

    /** Phone {@code extension} hangs up its current call (a BYE to the PBX). */
    public void hangupPhone(String extension) throws IOException {
        hangup(requirePhoneChannel(extension));
    }

    /** Phone {@code extension} presses keys during its call (RFC 4733 to the PBX), one every 250 ms. */
    public void phoneDtmf(String extension, String digits) throws IOException, InterruptedException {
        String channel = requirePhoneChannel(extension);
        for (char digit : digits.toCharArray()) {
            AmiMessage r = ami.send(ACTION_TIMEOUT, "PlayDTMF", "Channel", channel, "Digit", String.valueOf(digit),
                    "Duration", "120");
            if (!r.isSuccess()) {
                throw new IOException("PlayDTMF on " + channel + " failed: " + r.get("Message"));
            }
            Thread.sleep(250);
        }
    }

    /** Whether the phone has a call on the world side now. */
    public boolean phoneInCall(String extension) {
        return phoneChannels.containsKey(extension);
    }

    void hangupChannelById(String uniqueid) throws IOException {
        hangup(uniqueid);
    }

    /** Hangs up everything the world has (between tests). */
    void hangupAll() throws IOException {
        if (!liveChannels.isEmpty()) {
            ami.send(ACTION_TIMEOUT, "Hangup", "Channel", "/.*/");
        }
    }

    private String requirePhoneChannel(String extension) throws IOException {
        String channel = phoneChannels.get(extension);
        if (channel == null) {
            throw new IOException("phone " + extension + " has no call on the world side");
        }
        return channel;
    }

    private void hangup(String channel) throws IOException {
        AmiMessage r = ami.send(ACTION_TIMEOUT, "Hangup", "Channel", channel);
        if (!r.isSuccess()) {
            LOG.fine(() -> "hangup " + channel + ": " + r.get("Message"));
        }
    }

    private void dbPut(String family, String key, String value) throws IOException {
        AmiMessage r = ami.send(ACTION_TIMEOUT, "DBPut", "Family", family, "Key", key, "Val", value);
        if (!r.isSuccess()) {
            throw new IOException("DBPut " + family + "/" + key + " failed: " + r.get("Message"));
        }
    }

    private void onEvent(AmiMessage m) {
        String event = m.event();
        if (event == null) {
            return;
        }
        String uniqueid = m.get("Uniqueid");
        switch (event) {
            case "Newchannel" -> {
                liveChannels.put(uniqueid, m.get("Channel"));
                Matcher phone = PHONE_CHANNEL.matcher(m.get("Channel"));
                if (phone.matches()) {
                    phoneChannels.put(phone.group(1), m.get("Channel"));
                }
            }
            case "Rename" -> {
                // a masquerade renames channels; keep following them by name
                liveChannels.replace(uniqueid, m.get("Newname"));
            }
            case "Newstate" -> {
                WorldCall call = calls.get(uniqueid);
                if (call != null && "Up".equals(m.get("ChannelStateDesc"))) {
                    call.answered.complete(null);
                }
            }
            case "Hangup" -> {
                liveChannels.remove(uniqueid);
                Matcher phone = PHONE_CHANNEL.matcher(m.get("Channel"));
                if (phone.matches()) {
                    phoneChannels.remove(phone.group(1), m.get("Channel"));
                }
                WorldCall call = calls.remove(uniqueid);
                if (call != null) {
                    call.ended.complete(m.get("Cause"));
                }
            }
            case "OriginateResponse" -> {
                // a call that failed before its channel existed gets no Hangup: end it here
                String id = m.get("Uniqueid");
                if ("Failure".equals(m.get("Response")) && id != null && !liveChannels.containsKey(id)) {
                    WorldCall call = calls.remove(id);
                    if (call != null) {
                        call.ended.complete("originate failed, reason " + m.get("Reason"));
                    }
                }
            }
            default -> { }
        }
    }
}
