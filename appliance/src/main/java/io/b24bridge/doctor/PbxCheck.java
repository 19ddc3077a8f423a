package io.b24bridge.doctor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.b24bridge.config.ApplianceConfig;

/**
 * Each configured PBX: its manager interface (AMI) answers, the configured user can log in, and the
 * recordings folder (when configured) can be read. The login uses {@code Events: off} and logs off at once,
 * so the check leaves nothing behind on the PBX but a line in its log. It answers Asterisk's MD5 challenge, as the
 * service does: the secret itself never goes over the link.
 */
final class PbxCheck {

    private PbxCheck() {
    }

    static List<Finding> run(ApplianceConfig config, int timeoutMs) {
        if (config.pbx().isEmpty()) {
            return List.of(Finding.ok("pbx", "not configured: no pbx section, so no calls are followed yet"));
        }
        List<Finding> out = new ArrayList<>();
        for (ApplianceConfig.Pbx pbx : config.pbx()) {
            out.add(ami(pbx, timeoutMs));
            pbx.recordingsDir().ifPresent(dir -> out.add(Files.isDirectory(dir) && Files.isReadable(dir)
                    ? Finding.ok("pbx." + pbx.id() + ".recordings", "recordings folder " + dir + " is readable")
                    : Finding.warn("pbx." + pbx.id() + ".recordings", "recordings folder " + dir + " is missing or not "
                    + "readable by this user: mount the PBX's recordings there (read-only is enough) or drop "
                    + "recordings-dir")));
        }
        return out;
    }

    static Finding ami(ApplianceConfig.Pbx pbx, int timeoutMs) {
        String name = "pbx." + pbx.id();
        String where = pbx.host() + ":" + pbx.port();
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(pbx.host(), pbx.port()), timeoutMs);
            } catch (IOException e) {
                return Finding.fail(name, "cannot connect to the AMI at " + where + " (" + AdminProbe.rootMessage(e)
                        + "): check host and port, that manager.conf has enabled=yes with a bindaddr this appliance "
                        + "reaches, and the firewall");
            }
            s.setSoTimeout(timeoutMs);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String banner = in.readLine();
            if (banner == null || !banner.startsWith("Asterisk Call Manager")) {
                return Finding.fail(name, where + " is not an Asterisk manager interface (it greets with '"
                        + (banner == null ? "" : banner) + "'): check pbx port (5038 by default)");
            }
            OutputStream o = s.getOutputStream();
            // the MD5 challenge, as the service itself logs in: the secret never crosses the (plain TCP) link
            o.write("Action: Challenge\r\nActionID: doctor-0\r\nAuthType: MD5\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            o.flush();
            Map<String, String> challenge = block(in);
            if (!"Success".equalsIgnoreCase(challenge.get("response")) || challenge.get("challenge") == null) {
                return Finding.fail(name, "AMI at " + where + " refused the MD5 challenge ("
                        + challenge.getOrDefault("message", "no reason given") + "): the doctor does not send the "
                        + "secret in plain text; check the AMI at " + where);
            }
            o.write(("Action: Login\r\nActionID: doctor-1\r\nAuthType: MD5\r\nUsername: " + pbx.username()
                    + "\r\nKey: " + md5(challenge.get("challenge") + pbx.secret().revealString())
                    + "\r\nEvents: off\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            Map<String, String> answer = block(in);
            try {
                o.write("Action: Logoff\r\nActionID: doctor-2\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                o.flush();
            } catch (IOException ignored) {
                // the login's answer is what counts
            }
            if ("Success".equalsIgnoreCase(answer.get("response"))) {
                return Finding.ok(name, "AMI at " + where + " (" + banner + "): login as '" + pbx.username() + "' works");
            }
            return Finding.fail(name, "AMI at " + where + " refused the login as '" + pbx.username() + "' ("
                    + answer.getOrDefault("message", "no reason given") + "): check the user's secret and its "
                    + "permit/deny addresses in manager.conf, then 'manager reload'");
        } catch (IOException e) {
            return Finding.fail(name, "AMI at " + where + " did not answer in time (" + AdminProbe.rootMessage(e) + ")");
        }
    }

    /** Asterisk's challenge answer: the hex MD5 of the challenge followed by the secret. */
    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One AMI answer: {@code Key: value} lines up to a blank line, keys lower-cased. */
    private static Map<String, String> block(BufferedReader in) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return out;
    }
}
