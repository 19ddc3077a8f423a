package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The emulator as a program:
 * <pre>
 * java -jar b24bridge-testkit.jar --port 8443 --keystore box-server.p12 --keystore-password-file store.pass \
 *      [--truststore trust.p12] [--client-keystore box-client.p12] [--require-client-cert] \
 *      [--deployment cloud-connected|air-gapped] [--auth-rules source|docs] [--seed demo] ...
 * </pre>
 * It prints where it listens, then serves until stopped (Ctrl-C).
 */
public final class BoxEmulatorMain {

    /** Helidon's start-up chatter is not what a test log needs; kept here so the level is not collected away. */
    private static final java.util.logging.Logger HELIDON = java.util.logging.Logger.getLogger("io.helidon");

    private BoxEmulatorMain() {
    }

    static final String USAGE = """
            usage: BoxEmulatorMain --port N --keystore P12 --keystore-password-file F [options]
              --host H                    address to listen on (default 127.0.0.1)
              --advertised-host H         host name for URLs the box hands out (default: the address)
              --port N                    the box's HTTPS port (0: any free port)
              --oauth-port N              the separate OAuth server's port (default: any free port)
              --keystore P12              the box's server key (e.g. box-server.p12)
              --keystore-password-file F  the password of every keystore given (e.g. store.pass)
              --truststore P12            CA certificates: client certificates and outgoing HTTPS
              --client-keystore P12       the key the box presents when it POSTs events (e.g. box-client.p12)
              --require-client-cert       mutual TLS: refuse clients without a certificate from the truststore
              --plain-http                no TLS at all (debugging only; ignores the keystore options)
              --deployment D              cloud-connected (default: tokens checked and events sent through the
                                          OAuth server), air-gapped (it is out of reach: CONNECTION_ERROR) or
                                          with-module (air-gapped with the b24bridge box module: its token
                                          endpoint, its event queue, b24bridge.* methods)
              --module-appliance-dn DN    with-module: the subject of the appliance's client certificate
              --module-credential-file F  with-module: write the credential the module issued to F (the
                                          appliance's bitrix24.module.credential-file)
              --auth-rules R              source (default: webhooks accepted as box 26.250 does) or docs
                                          (register/finish/externalLine refuse webhooks, as the docs say)
              --duplicate-events          the cloud queue POSTs every event twice
              --seed demo                 load the demo users, contacts, companies, leads and lead sources
              --client-id ID              the local application's client id
              --client-secret-file F      the local application's client secret
              --install-handler URL       where ONAPPINSTALL is POSTed on install
              --install-when-up           install the application at start, retrying until the handler takes it
              --page-without-client-cert  with --require-client-cert: the page and control API open to a browser
              --edge-proxy PORT=URL       also run a customer's edge proxy on PORT: plain HTTPS in (what the cloud
                                          queue sends), forwarded to URL with the client certificate
              --token-lifetime SECONDS    access token lifetime (default 3600)
              --rate-limit BURST/PERSEC   enable the leaky-bucket limit, e.g. 50/2
              --webhook USER:SECRET       seed an inbound webhook (all scopes)
              --request-log-size N        requests kept in the request log (default 10000)
            """;

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        HELIDON.setLevel(java.util.logging.Level.WARNING);
        BoxEmulator emu;
        BoxEmulatorBuilder builder;
        try {
            builder = parse(List.of(args));
            emu = builder.build();
        } catch (IllegalArgumentException e) {
            System.err.println("box emulator: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        try {
            emu.start();
        } catch (IllegalStateException e) {
            System.err.println("box emulator: " + e.getMessage());
            emu.stop();
            System.exit(1);
            return;
        }
        EdgeProxy proxy = null;
        int at = List.of(args).indexOf("--edge-proxy");
        if (at >= 0) {
            EdgeProxySpec spec = edgeProxy(args[at + 1]);
            EmulatorTls tls = builder.tls;
            if (tls == null) {
                System.err.println("box emulator: --edge-proxy needs TLS (the keystore options)");
                emu.stop();
                System.exit(2);
                return;
            }
            try {
                proxy = EdgeProxy.start(tls, builder.host, spec.port(), spec.target());
            } catch (IllegalStateException e) {
                System.err.println("box emulator: " + e.getMessage());
                emu.stop();
                System.exit(1);
                return;
            }
            System.out.println("box emulator: edge proxy " + proxy.url("/") + " -> " + spec.target());
        }
        EdgeProxy edge = proxy;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (edge != null) {
                edge.close();
            }
            emu.stop();
            stopped.countDown();
        }, "box-emulator-stop"));
        int credentialFlag = List.of(args).indexOf("--module-credential-file");
        if (credentialFlag >= 0) {
            Path file = Path.of(args[credentialFlag + 1]);
            Files.writeString(file, emu.module().credential() + "\n");
            System.out.println("box emulator: the module's credential is in " + file);
        }
        System.out.println("box emulator: " + emu.baseUrl() + "  (" + emu.settings().deployment().label()
                + ", auth rules " + emu.settings().authRules().label() + "; control " + emu.baseUrl()
                + "/_emulator/state, page " + emu.baseUrl() + "/, OAuth server " + emu.oauthTokenUrl() + ")");
        if (List.of(args).contains("--install-when-up")) {
            Thread.ofVirtual().name("install-when-up").start(() -> installWhenUp(emu));
        }
        stopped.await();
    }

    /**
     * The sandbox starts the emulator before the appliance: keep offering the install event until the
     * appliance's handler takes it (every 2 s, for 10 minutes at most).
     */
    private static void installWhenUp(BoxEmulator emu) {
        long end = System.nanoTime() + java.time.Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < end) {
            try {
                Delivery d = emu.install().delivery().get();
                if (d.delivered()) {
                    System.out.println("box emulator: the application is installed (handler " + d.handler() + ")");
                    return;
                }
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        System.err.println("box emulator: the install handler did not take the install event within 10 minutes");
    }

    static BoxEmulatorBuilder parse(List<String> args) {
        BoxEmulatorBuilder b = BoxEmulator.builder();
        Path keystore = null;
        Path passwordFile = null;
        Path truststore = null;
        Path clientKeystore = null;
        Path clientSecretFile = null;
        String clientId = null;
        boolean plain = false;
        boolean portGiven = false;
        List<String[]> webhooks = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> throw new IllegalArgumentException("help");
                case "--require-client-cert" -> b.requireClientCert(true);
                case "--install-when-up" -> { } // acted on after the start (main)
                case "--duplicate-events" -> b.duplicateEvents(true);
                case "--page-without-client-cert" -> b.pageWithoutClientCert(true);
                case "--plain-http" -> plain = true;
                default -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(a + " needs a value (or is unknown)");
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--host" -> b.host(v);
                        case "--advertised-host" -> b.advertisedHost(v);
                        case "--port" -> {
                            b.port(number(a, v));
                            portGiven = true;
                        }
                        case "--oauth-port" -> b.oauthPort(number(a, v));
                        case "--keystore" -> keystore = Path.of(v);
                        case "--keystore-password-file" -> passwordFile = Path.of(v);
                        case "--truststore" -> truststore = Path.of(v);
                        case "--client-keystore" -> clientKeystore = Path.of(v);
                        case "--deployment" -> b.deployment(Deployment.parse(v));
                        case "--module-appliance-dn" -> b.moduleApplianceDn(v);
                        case "--module-credential-file" -> Path.of(v); // written by main once the module is up
                        case "--auth-rules" -> b.authRules(AuthRules.parse(v));
                        case "--edge-proxy" -> edgeProxy(v); // checked here, started after the emulator (main)
                        case "--mode" -> throw new IllegalArgumentException("--mode is gone: --auth-rules source|docs "
                                + "says which methods refuse webhooks, --deployment where the box stands");
                        case "--seed" -> {
                            if (!v.equals("demo")) {
                                throw new IllegalArgumentException("the only seed is demo");
                            }
                            b.seedDemo(true);
                        }
                        case "--client-id" -> clientId = v;
                        case "--client-secret-file" -> clientSecretFile = Path.of(v);
                        case "--install-handler" -> b.installHandler(v);
                        case "--token-lifetime" -> b.tokenLifetime(Duration.ofSeconds(number(a, v)));
                        case "--rate-limit" -> {
                            String[] p = v.split("/");
                            if (p.length != 2) {
                                throw new IllegalArgumentException("--rate-limit wants BURST/PERSEC, e.g. 50/2");
                            }
                            b.rateLimit(number(a, p[0]), Double.parseDouble(p[1]));
                        }
                        case "--webhook" -> {
                            String[] p = v.split(":", 2);
                            if (p.length != 2) {
                                throw new IllegalArgumentException("--webhook wants USER:SECRET");
                            }
                            webhooks.add(p);
                        }
                        case "--request-log-size" -> b.requestLogSize(number(a, v));
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (!portGiven) {
            throw new IllegalArgumentException("--port is required");
        }
        for (String[] w : webhooks) {
            b.webhook(number("--webhook", w[0]), w[1], Set.of());
        }
        if (clientId != null || clientSecretFile != null) {
            if (clientId == null || clientSecretFile == null) {
                throw new IllegalArgumentException("--client-id and --client-secret-file go together");
            }
            b.application(clientId, read(clientSecretFile));
        }
        if (!plain) {
            if (keystore == null || passwordFile == null) {
                throw new IllegalArgumentException("--keystore and --keystore-password-file are required "
                        + "(or --plain-http)");
            }
            b.tls(EmulatorTls.fromPkcs12(keystore, read(passwordFile).toCharArray(), truststore, clientKeystore));
        }
        return b;
    }

    /** {@code PORT=URL} of --edge-proxy. */
    record EdgeProxySpec(int port, java.net.URI target) {
    }

    static EdgeProxySpec edgeProxy(String v) {
        String[] p = v.split("=", 2);
        if (p.length != 2 || !p[1].startsWith("https://")) {
            throw new IllegalArgumentException("--edge-proxy wants PORT=https://host:port, e.g. 9445=https://127.0.0.1:8443");
        }
        return new EdgeProxySpec(number("--edge-proxy", p[0]), java.net.URI.create(p[1]));
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a number: " + v);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
