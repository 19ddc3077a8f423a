package io.b24bridge.doctor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review probe P15's first half (F14): the doctor's AMI login is the service's — Asterisk's MD5 challenge — so the
 * secret never crosses the plain-TCP link (tcpdump on it used to show {@code Secret: test-secret}).
 */
class DoctorAmiLoginTest {

    /** An AMI that answers as Asterisk 22 does and keeps every line it was sent. */
    private static final class RecordingAmi implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final List<String> received = new CopyOnWriteArrayList<>();
        final Thread thread = Thread.ofVirtual().start(this::serve);

        RecordingAmi() throws IOException {
        }

        private void serve() {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                out.write("Asterisk Call Manager/11.0.0\r\n".getBytes(StandardCharsets.UTF_8));
                String line;
                String action = null;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    if (line.startsWith("Action: ")) {
                        action = line.substring(8);
                    } else if (line.isEmpty() && action != null) {
                        String answer = switch (action) {
                            case "Challenge" -> "Response: Success\r\nChallenge: 840921315\r\n\r\n";
                            case "Login" -> received.contains("Key: " + PbxCheck.md5("840921315test-secret"))
                                    ? "Response: Success\r\nMessage: Authentication accepted\r\n\r\n"
                                    : "Response: Error\r\nMessage: Authentication failed\r\n\r\n";
                            default -> "Response: Goodbye\r\n\r\n";
                        };
                        out.write(answer.getBytes(StandardCharsets.UTF_8));
                        action = null;
                    }
                }
            } catch (IOException ignored) {
                // the doctor hung up
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }

    @Test
    void theDoctorAnswersTheChallengeAndNeverSendsTheSecret() throws Exception {
        try (RecordingAmi ami = new RecordingAmi()) {
            ApplianceConfig.Pbx pbx = new ApplianceConfig.Pbx("pbx1", "127.0.0.1", ami.server.getLocalPort(),
                    "b24bridge", Secret.of("test-secret"), Pattern.compile("[0-9]{2,6}"), Set.of(), Optional.empty(),
                    Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
                    Path.of("/var/spool/asterisk/monitor"), Optional.empty(), Duration.ofSeconds(30), Optional.empty(),
                    Duration.ofMinutes(10), Duration.ofDays(1));
            Finding f = PbxCheck.ami(pbx, 3000);
            assertEquals(Finding.Level.OK, f.level(), f.line());
            ami.close();
            assertTrue(ami.received.contains("AuthType: MD5"), ami.received.toString());
            assertTrue(ami.received.stream().noneMatch(l -> l.startsWith("Secret:") || l.contains("test-secret")),
                    "the secret crossed the link: " + ami.received);
        }
    }
}
