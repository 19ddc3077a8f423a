package io.b24bridge.testkit.pbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client of the simulated AMI: reads its actions, answers them as Asterisk 22 does, and receives the
 * events it asked for ({@code Events:} at login, or the {@code Events} action).
 *
 * <p>Writing is Asterisk's too (main/manager.c): an event is appended to a list the PBX never waits on, and the
 * session's own thread writes that list out; a write that cannot finish within the user's {@code writetimeout}
 * sets {@code write_error} ({@code send_string}) and {@code session_do} ends the session. So a client that reads
 * too slowly loses its connection — the PBX itself never slows down for it. Here the list is {@link #outbound},
 * the thread {@link #writeLoop}, and the simulator's watchdog closes a session whose write is stuck longer than
 * the write timeout ({@link #writeStuckNanos}).
 */
final class SimSession implements AutoCloseable {

    /** Most bytes written in one go when a backlog is drained. */
    private static final int WRITE_CHUNK = 64 * 1024;

    private final PbxSimulator sim;
    private final Socket socket;
    private final OutputStream out;
    private final LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
    private volatile long writingSince; // System.nanoTime() while a write is in progress, else 0
    private final java.util.concurrent.atomic.AtomicInteger unwritten = new java.util.concurrent.atomic.AtomicInteger();
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
        Thread writer = Thread.ofVirtual().name("pbx-sim-writer").start(this::writeLoop);
        try {
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
            flushThenClose(writer);
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
        Duration delay = sim.faults().actionDelay();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis()); // a PBX slow to read its clients: the next action waits too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
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

    /** Queues {@code wire} for the session's writer, unless the simulator is silent (then it is gone). */
    void send(String wire) {
        if (sim.isSilent() || socket.isClosed()) {
            return;
        }
        unwritten.incrementAndGet();
        outbound.add(wire.getBytes(StandardCharsets.UTF_8));
    }

    /** Queues raw bytes (for garbage on the wire: not necessarily UTF-8). */
    void sendRaw(byte[] bytes) {
        if (!sim.isSilent() && !socket.isClosed()) {
            unwritten.incrementAndGet();
            outbound.add(bytes);
        }
    }

    /** After a Logoff or a refused login: what was queued (the Goodbye) goes out before the socket closes. */
    private void flushThenClose(Thread writer) {
        long end = System.nanoTime() + 1_000_000_000L;
        while (!socket.isClosed() && unwritten.get() > 0 && System.nanoTime() < end) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        close();
        writer.interrupt();
    }

    /** How long the write in progress has been stuck (0: none in progress). */
    long writeStuckNanos(long now) {
        long since = writingSince;
        return since == 0 ? 0 : now - since;
    }

    /** Events and answers waiting to be written to this client. */
    int backlog() {
        return unwritten.get();
    }

    private void writeLoop() {
        java.io.ByteArrayOutputStream chunk = new java.io.ByteArrayOutputStream(WRITE_CHUNK);
        try {
            while (!socket.isClosed()) {
                byte[] first = outbound.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                chunk.reset();
                chunk.write(first);
                int n = 1;
                byte[] next;
                while (chunk.size() < WRITE_CHUNK && (next = outbound.poll()) != null) {
                    chunk.write(next);
                    n++;
                }
                writingSince = System.nanoTime();
                try {
                    chunk.writeTo(out);
                    out.flush();
                } finally {
                    writingSince = 0;
                    unwritten.addAndGet(-n);
                }
            }
        } catch (IOException e) {
            close(); // the client went away, or the watchdog closed a stuck write
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
