package io.b24bridge.bitrix;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.json.Json;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A box that refuses connections counts none of those requests against its rate limit, and neither does the client:
 * permits spent on a box that is away left the appliance pacing itself below the box's limit once it returned, the
 * burst the box would take unused.
 */
class RefusedConnectionPermitTest {

    @Test
    void requestsTheBoxNeverReceivedLeaveTheBurstForWhenItIsBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections to it are refused
        }
        URI url = URI.create("https://127.0.0.1:" + port);
        RateLimiter limiter = new RateLimiter(0.001, 2); // a burst of 2, nothing more within the test
        BoxClient client = new BoxClient(url, new BoxTransport(SSLContext.getDefault(), Duration.ofSeconds(2),
                Duration.ofSeconds(5)), new WebhookAuth(url, new ApplianceConfig.Webhook(1, Secret.of("s3cr3t"),
                Optional.empty())), limiter, Json.newMapper(), Clock.systemUTC());
        AtomicInteger refused = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 5; i++) {
                try {
                    client.call("telephony.externalcall.show", Params.of());
                } catch (BoxException e) {
                    if (e.code().equals("UNREACHABLE")) {
                        refused.incrementAndGet();
                    }
                }
            }
        });
        // with each refusal spending a permit, the third request would wait for one (about 1,000 s)
        await("five refused requests").atMost(Duration.ofSeconds(60)).until(() -> refused.get() == 5);
        assertEquals(0, limiter.reserve(), "the burst is whole: a first request goes at once");
        assertEquals(0, limiter.reserve(), "and a second");
        assertTrue(limiter.reserve() > 0, "a third waits: the burst is 2");
    }
}
