package io.b24bridge.testkit.asterisk;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where the Asterisk root is, the loopback addresses and ports of the two instances, and the harness's
 * switches. Each value comes from a system property {@code b24bridge.asterisk.<name>}, else the environment
 * variable {@code B24TEST_ASTERISK_<NAME>}, else the default below.
 *
 * @param root           the Debian sid root with Asterisk ({@code testkit/asterisk/build-root.sh} makes it)
 * @param pbxAmiPort     AMI of the PBX under test, on 127.0.0.1
 * @param worldAmiPort   AMI of the world instance (carrier and phones), on 127.0.0.1
 * @param pbxSipHost     the PBX's SIP address
 * @param carrierSipHost the carrier's SIP address (the PBX's trunk points there)
 * @param phonesSipHost  the phones' SIP address (their contacts on the PBX)
 * @param sipPort        the UDP port of all three SIP addresses
 * @param amiUser        the PBX's AMI user for the appliance (also the world's harness user)
 * @param amiSecret      its secret; test-only, never logged
 * @param phoneSecret    the phones' SIP password; test-only
 * @param companyNumber  the caller ID the carrier shows for outbound calls
 * @param build          when the root is missing: build it (about a minute, needs the network) or skip
 * @param required       when the harness cannot run: fail the test instead of skipping it (set it in CI)
 * @param keep           leave the instances' directories (logs, recordings) in the root after the stop
 * @param lockWait       how long to wait for another JVM on this machine to release the root
 */
public record AsteriskSettings(Path root, int pbxAmiPort, int worldAmiPort, String pbxSipHost,
                               String carrierSipHost, String phonesSipHost, int sipPort, String amiUser,
                               String amiSecret, String phoneSecret, String companyNumber, boolean build,
                               boolean required, boolean keep, Duration lockWait) {

    public static final Path DEFAULT_ROOT = Path.of("/var/cache/b24bridge/asterisk-root");

    public AsteriskSettings {
        requireLoopback(pbxSipHost);
        requireLoopback(carrierSipHost);
        requireLoopback(phonesSipHost);
        if (pbxSipHost.equals(carrierSipHost) || pbxSipHost.equals(phonesSipHost)
                || carrierSipHost.equals(phonesSipHost)) {
            // the PBX tells the carrier from the phones by source address; they need one each
            throw new IllegalArgumentException("the PBX, carrier and phones need distinct SIP addresses");
        }
        if (pbxAmiPort == worldAmiPort) {
            throw new IllegalArgumentException("the two AMIs need distinct ports");
        }
        root = root.toAbsolutePath().normalize();
    }

    /** The defaults, overridden by system properties and the environment. */
    public static AsteriskSettings fromEnvironment() {
        return fromSources(System.getProperties(), System.getenv());
    }

    static AsteriskSettings fromSources(Map<?, ?> props, Map<String, String> env) {
        Source s = new Source(props, env);
        return new AsteriskSettings(
                Path.of(s.get("root", DEFAULT_ROOT.toString())),
                Integer.parseInt(s.get("pbxAmiPort", "5038")),
                Integer.parseInt(s.get("worldAmiPort", "5039")),
                s.get("pbxSipHost", "127.0.0.1"),
                s.get("carrierSipHost", "127.0.0.2"),
                s.get("phonesSipHost", "127.0.0.3"),
                Integer.parseInt(s.get("sipPort", "5060")),
                s.get("amiUser", "b24bridge"),
                s.get("amiSecret", "test-secret"),
                s.get("phoneSecret", "phone-secret"),
                s.get("companyNumber", "4951000000"),
                s.flag("build"),
                s.flag("required"),
                s.flag("keep"),
                Duration.ofSeconds(Long.parseLong(s.get("lockWaitSeconds", "300"))));
    }

    public AmiEndpoint pbxAmi() {
        return new AmiEndpoint("127.0.0.1", pbxAmiPort, amiUser, amiSecret);
    }

    public AmiEndpoint worldAmi() {
        return new AmiEndpoint("127.0.0.1", worldAmiPort, amiUser, amiSecret);
    }

    /** The values the config templates' {@code @NAME@} placeholders take. */
    Map<String, String> placeholders() {
        return Map.ofEntries(
                Map.entry("PBX_AMI_PORT", Integer.toString(pbxAmiPort)),
                Map.entry("WORLD_AMI_PORT", Integer.toString(worldAmiPort)),
                Map.entry("PBX_SIP_HOST", pbxSipHost),
                Map.entry("PBX_SIP_PORT", Integer.toString(sipPort)),
                Map.entry("CARRIER_SIP_HOST", carrierSipHost),
                Map.entry("CARRIER_SIP_PORT", Integer.toString(sipPort)),
                Map.entry("PHONES_SIP_HOST", phonesSipHost),
                Map.entry("PHONES_SIP_PORT", Integer.toString(sipPort)),
                Map.entry("AMI_USER", amiUser),
                Map.entry("AMI_SECRET", amiSecret),
                Map.entry("PHONE_SECRET", phoneSecret),
                Map.entry("COMPANY_NUMBER", companyNumber));
    }

    private static void requireLoopback(String host) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException(host + " is not a loopback address: the test Asterisk stays on loopback");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }

    private record Source(Map<?, ?> props, Map<String, String> env) {
        String get(String name, String fallback) {
            Object p = props.get("b24bridge.asterisk." + name);
            if (p != null && !p.toString().isBlank()) {
                return p.toString().trim();
            }
            String e = env.get("B24TEST_ASTERISK_" + name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
            return e != null && !e.isBlank() ? e.trim() : fallback;
        }

        boolean flag(String name) {
            String v = get(name, "false").toLowerCase(Locale.ROOT);
            return v.equals("true") || v.equals("1") || v.equals("yes");
        }
    }
}
