package io.b24bridge.testkit.pbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client of the simulated AMI: reads its actions, answers them as Asterisk 22 does, and receives the
 * events it asked for ({@code Events:} at login, or the {@code Events} action).
 */
final class SimSession implements AutoCloseable {

    private final PbxSimulator sim;
    private final Socket socket;
    private final OutputStream out;
    private volatile boolean authenticated;
    private volatile boolean eventsOn = true;
    private volatile Set<String> eventMask; // null: every class
    private String challenge;

    SimSession(PbxSimulator sim, Socket socket) throws IOException {
        this.sim = sim;
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    boolean authenticated() {
        return authenticated && !socket.isClosed();
    }

    /** Whether this client gets {@code event}: logged in, events on, and the event's class in its mask. */
    boolean wants(AmiMessage event) {
        if (!authenticated() || !eventsOn) {
            return false;
        }
        Set<String> read = sim.readClasses();
        if (read != null && !event.privileges().isEmpty() && event.privileges().stream().noneMatch(read::contains)) {
            return false; // manager.conf's read= withholds it
        }
        Set<String> mask = eventMask;
        if (mask == null) {
            return true;
        }
        Set<String> classes = event.privileges();
        if (classes.isEmpty()) {
            return true;
        }
        for (String c : classes) {
            if (mask.contains(c)) {
                return true;
            }
        }
        return false;
    }

    void run() {
        try (socket) {
            send("Asterisk Call Manager/" + sim.options().amiVersion() + "\r\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<AmiMessage.Header> block = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!block.isEmpty()) {
                        AmiMessage action = new AmiMessage(block);
                        block = new ArrayList<>();
                        if (!handle(action)) {
                            return;
                        }
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    block.add(new AmiMessage.Header(line.substring(0, colon), line.substring(colon + 1).strip()));
                }
            }
        } catch (IOException e) {
            // the client went away, or dropConnections() closed the socket
        } finally {
            sim.ended(this);
        }
    }

    /** Answers one action; false to close the connection. */
    private boolean handle(AmiMessage action) throws IOException {
        String name = action.get("Action");
        String id = action.get("ActionID");
        sim.countAction(name == null ? "" : name);
        if (sim.isSilent()) {
            return true; // a hung PBX: reads, never answers
        }
        if (name == null) {
            send(response("Error", id, "Message", "Missing action in request"));
            return true;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "challenge" -> {
                challenge = String.valueOf(100_000_000 + ThreadLocalRandom.current().nextInt(900_000_000));
                send(response("Success", id, "Challenge", challenge));
                return true;
            }
            case "login" -> {
                return login(action, id);
            }
            case "logoff" -> {
                send(response("Goodbye", id, "Message", "Thanks for all the fish."));
                return false;
            }
            default -> {
            }
        }
        if (!authenticated) {
            send(response("Error", id, "Message", "Authentication Required"));
            return true;
        }
        if (sim.isDenied(lower)) {
            send(response("Error", id, "Message", "Permission denied"));
            return true;
        }
        switch (lower) {
            case "ping" -> send(response("Success", id, "Ping", "Pong", "Timestamp", nowSeconds()));
            case "events" -> {
                String mask = action.get("EventMask");
                eventsOn = mask == null || !mask.equalsIgnoreCase("off");
                eventMask = mask == null ? null : mask(mask);
                send(response("Success", id, "Events", eventsOn ? "On" : "Off"));
            }
            case "coresettings" -> send(response("Success", id, "AMIversion", sim.options().amiVersion(),
                    "AsteriskVersion", sim.options().asteriskVersion(), "SystemName", "", "CoreMaxCalls", "0",
                    "CoreMaxLoadAvg", "0.000000", "CoreRunUser", "asterisk", "CoreRunGroup", "asterisk",
                    "CoreMaxFilehandles", "0", "CoreRealTimeEnabled", "No", "CoreCDRenabled", "Yes",
                    "CoreHTTPenabled", "No"));
            case "coreshowchannels" -> {
                List<AmiMessage> channels = sim.channels().coreShowChannels(id);
                StringBuilder b = new StringBuilder(response("Success", id, "EventList", "start", "Message",
                        "Channels will follow"));
                for (AmiMessage c : channels) {
                    b.append(c.wire());
                }
                b.append(AmiMessage.of("Event", "CoreShowChannelsComplete", "ActionID", id == null ? "" : id,
                        "EventList", "Complete", "ListItems", String.valueOf(channels.size())).wire());
                send(b.toString());
            }
            case "originate" -> {
                if (action.get("Channel") == null) {
                    send(response("Error", id, "Message", "Channel not specified"));
                } else {
                    send(response("Success", id, "Message", "Originate successfully queued"));
                    sim.originated(action);
                }
            }
            default -> send(response("Error", id, "Message", "Invalid/unknown command"));
        }
        return true;
    }

    private boolean login(AmiMessage action, String id) throws IOException {
        sim.countLogin();
        String user = action.get("Username");
        boolean ok = !sim.isRefusingLogins() && sim.options().username().equals(user);
        if (ok) {
            String key = action.get("Key");
            if ("MD5".equalsIgnoreCase(action.get("AuthType")) && key != null && challenge != null) {
                ok = key.equalsIgnoreCase(md5(challenge + sim.options().secret()));
            } else {
                ok = sim.options().secret().equals(action.get("Secret"));
            }
        }
        if (!ok) {
            sim.countFailedLogin();
            send(response("Error", id, "Message", "Authentication failed"));
            return false; // Asterisk hangs up after a failed login
        }
        String events = action.get("Events");
        eventsOn = events == null || !events.equalsIgnoreCase("off");
        eventMask = events == null || events.equalsIgnoreCase("on") ? null : mask(events);
        authenticated = true;
        send(response("Success", id, "Message", "Authentication accepted"));
        AmiMessage booted = AmiMessage.of("Event", "FullyBooted", "Privilege", "system,all", "Uptime", "8",
                "LastReload", "8", "Status", "Fully Booted");
        if (wants(booted)) {
            send(booted.wire());
        }
        sim.loggedIn();
        return true;
    }

    private static Set<String> mask(String events) {
        Set<String> s = new java.util.HashSet<>();
        for (String c : events.toLowerCase(Locale.ROOT).split(",")) {
            if (!c.isBlank()) {
                s.add(c.strip());
            }
        }
        return s.contains("on") || s.contains("all") ? null : s;
    }

    private static String response(String status, String actionId, String... more) {
        List<AmiMessage.Header> h = new ArrayList<>();
        h.add(new AmiMessage.Header("Response", status));
        if (actionId != null) {
            h.add(new AmiMessage.Header("ActionID", actionId));
        }
        for (int i = 0; i < more.length; i += 2) {
            h.add(new AmiMessage.Header(more[i], more[i + 1]));
        }
        return new AmiMessage(h).wire();
    }

    static String nowSeconds() {
        long micros = System.currentTimeMillis() * 1000;
        return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes unless the simulator is silent; a failed write closes the connection. */
    void send(String wire) {
        if (sim.isSilent()) {
            return;
        }
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                close();
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
