package io.b24bridge.bitrix;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.b24bridge.config.ApplianceConfig;

/**
 * Asks the box a cheap question every half minute ({@code app.info}, or {@code profile} for a webhook): the
 * mutual-TLS connection stays warm for the first call after a quiet spell, and /health knows whether the box
 * answers without waiting for a call to find out.
 */
public final class BoxKeepAlive implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bitrix24-keepalive").daemon().factory());

    public BoxKeepAlive(BoxClient client, ApplianceConfig.AuthMode mode) {
        String method = mode == ApplianceConfig.AuthMode.APPLICATION ? "app.info" : "profile";
        timer.scheduleWithFixedDelay(() -> {
            try {
                client.call(method, Params.of());
            } catch (BoxException e) {
                // recorded by the client for /health; the log line comes from whoever needs the box next
            } catch (RuntimeException e) {
                Logger.getLogger(BoxKeepAlive.class.getName()).warning("keep-alive failed: " + e);
            }
        }, 0, PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
