package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpiryCommandTest {

    @TempDir
    Path root;

    @Test
    void listsEveryCertificateOnceWithWhereItIsAndDaysLeft() {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example");
        Tool.Result r = lab.ok("expiry");
        // the CA, the server and the client certificate; keys and CSRs are passed over
        assertTrue(r.out().contains("3 certificate(s); 0 with fewer than 30 days left"), r::toString);
        assertTrue(r.out().contains("   396  ok") || r.out().contains("   397  ok"), r::toString);
        assertTrue(r.out().contains("appliance-server.p12 (appliance-server)"), r::toString);
        assertTrue(r.out().contains("trust.p12 (lab-ca)"), r::toString);
        assertTrue(r.out().contains("local-ca/ca.crt"), "one folder level down is looked at: " + r);
        assertFalse(r.out().contains("PROBLEM"), r::toString);
    }

    @Test
    void somethingWithinTheThresholdMakesExitStatusOneAndJsonSaysSo() {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example");
        Tool.Result r = lab.run("expiry", "--days", "400", "--json");
        assertEquals(CertsTool.CHECK_FAILED, r.code(), r::toString);
        String json = r.out().strip();
        assertTrue(json.startsWith("{\"checkedAt\":\"") && json.endsWith("]}"), json);
        assertTrue(json.contains("\"thresholdDays\":400,\"expiring\":2,"), json);
        assertEquals(3, count(json, "\"sha256\":"));
        assertEquals(2, count(json, "\"status\":\"expiring\""));
        assertTrue(json.contains("\"subject\":\"CN=b24bridge.corp.example\""), json);
        assertTrue(json.contains("\"problems\":[]"), json);
        Matcher days = Pattern.compile("\"daysLeft\":(\\d+)").matcher(json);
        assertTrue(days.find());
    }

    @Test
    void anExpiredCertificateIsReportedAsExpired() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(400)), ZoneOffset.UTC);
        Lab lab = new Lab(root, past).localCa("b24bridge.corp.example");
        Tool.Result r = lab.at(Clock.systemUTC()).run("expiry", "--json");
        assertEquals(CertsTool.CHECK_FAILED, r.code(), r::toString);
        assertEquals(2, count(r.out(), "\"status\":\"expired\""), r::toString);
        assertTrue(r.out().contains("\"daysLeft\":-"), r::toString);
    }

    @Test
    void aKeystoreThatDoesNotOpenIsAProblemAndExitStatusTwo() {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example");
        KeyAndChain k = Pki.issue(Pki.initCa(CaSpec.of("CN=Elsewhere")), LeafSpec.client("CN=elsewhere"), Validity.days(900));
        Stores.writeKeyStore(lab.file("elsewhere.p12"), "x", k, "another-password".toCharArray());
        Tool.Result r = lab.run("expiry");
        assertEquals(CertsTool.ERROR, r.code(), r::toString);
        assertTrue(r.out().contains("PROBLEM " + lab.file("elsewhere.p12") + ": wrong password for"), r::toString);

        Tool.Result single = lab.ok("expiry", "--path", lab.file("appliance-client.crt").toString());
        assertTrue(single.out().contains("1 certificate(s)"), single::toString);
        Tool.Result missing = lab.run("expiry", "--path", root.resolve("nowhere").toString());
        assertEquals(CertsTool.ERROR, missing.code());
        assertTrue(missing.out().contains("does not exist"), missing::toString);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
