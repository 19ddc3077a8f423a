package io.b24bridge.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free TCP port for a server that binds it later — a child JVM, mariadbd, a listener started after its
 * configuration is written. Picked below the kernel's ephemeral range, so no outgoing connection of any process on
 * the machine is given it while the server starts (a port from {@code new ServerSocket(0)} is from that range:
 * between the test closing it and a child JVM binding it, tens of seconds on a loaded machine, another client's
 * connect could take it, and the start failed with "Address already in use"). A port is handed out once per JVM.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 20_000;
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    /** A port nothing listens on now, below the ephemeral range, not given before in this JVM. */
    public static synchronized int pick() {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (!GIVEN.contains(port) && bindable(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + below);
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port)); // the wildcard address: taken on any interface is taken
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The low end of the kernel's ephemeral range (Linux's default, 32768, where it cannot be read). */
    private static int ephemeralLow() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            return low > LOWEST + 1000 ? low : 32_768;
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }
}
