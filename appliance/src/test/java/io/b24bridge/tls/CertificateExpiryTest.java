package io.b24bridge.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.health.PartHealth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance's certificates as time goes by: silent while far from expiry, a warning in the log 30, 7 and 1 days
 * ahead (each once), /health DEGRADED within 30 days and DOWN once one has expired.
 */
class CertificateExpiryTest {

    @TempDir
    Path dir;
    ApplianceConfig.Tls client;
    Instant firstExpiry;
    final List<String> warnings = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void pki() {
        DevPki.Files pki = DevPki.ensure(dir, List.of("localhost"));
        Secret password = Secret.of(pki.password());
        client = new ApplianceConfig.Tls(pki.applianceClient(), password, Optional.empty(),
                Optional.of(pki.trustStore()), Optional.of(password));
        TlsMaterial m = TlsMaterial.load(client);
        firstExpiry = java.util.stream.Stream.concat(m.chain().stream(), m.trust().stream())
                .map(X509Certificate::getNotAfter).map(java.util.Date::toInstant).min(Instant::compareTo).orElseThrow();
        Logger.getLogger(CertificateExpiry.class.getName()).addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger(CertificateExpiry.class.getName()).removeHandler(capture);
    }

    private CertificateExpiry at(Instant now) {
        return new CertificateExpiry(Map.of("bitrix24-client", client), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void farFromExpiryItIsUpAndSaysNothing() {
        CertificateExpiry c = at(firstExpiry.minus(Duration.ofDays(90)));
        PartHealth h = c.check();
        assertEquals(PartHealth.State.UP, h.state(), h.detail());
        assertTrue(h.detail().contains("first expiry in 90 days") || h.detail().contains("first expiry in 89 days"),
                h.detail());
        assertEquals(List.of(), warnings);
    }

    @Test
    void eachStepIsWarnedOfOnceAndHealthDegrades() {
        Instant[] now = {firstExpiry.minus(Duration.ofDays(20))};
        CertificateExpiry c = new CertificateExpiry(Map.of("bitrix24-client", client), new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        });
        c.refresh();
        c.refresh();                                                   // the daily job again: no second warning
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("expires in 19 days") || warnings.getFirst().contains("expires in 20 days"),
                warnings.getFirst());
        assertTrue(warnings.getFirst().contains(client.keystore().toString()), "names the file");
        assertEquals(PartHealth.State.DEGRADED, c.check().state());

        now[0] = firstExpiry.minus(Duration.ofDays(5));
        c.refresh();
        now[0] = firstExpiry.minus(Duration.ofHours(12));
        c.refresh();
        c.refresh();
        assertEquals(3, warnings.size(), "30, 7 and 1 days ahead: " + warnings);

        now[0] = firstExpiry.plus(Duration.ofHours(1));
        c.refresh();
        assertEquals(PartHealth.State.DOWN, c.check().state());
        assertTrue(c.check().detail().contains("expired on"), c.check().detail());
    }
}
