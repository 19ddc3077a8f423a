package io.b24bridge.bitrix;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.config.ApplianceConfig;

/**
 * Asks the box a cheap question every half minute ({@code app.info}, {@code profile} for a webhook,
 * {@code b24bridge.status} through the module — whose answer /health shows): the
 * mutual-TLS connection stays warm for the first call after a quiet spell, and /health knows whether the box
 * answers without waiting for a call to find out.
 */
public final class BoxKeepAlive implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bitrix24-keepalive").daemon().factory());

    /** @param module where the module's state goes (module mode: the keep-alive asks {@code b24bridge.status}) */
    public BoxKeepAlive(BoxClient client, ApplianceConfig.AuthMode mode, ModuleStatus module) {
        String method = switch (mode) {
            case MODULE -> "b24bridge.status";
            case APPLICATION -> "app.info";
            case WEBHOOK -> "profile";
        };
        timer.scheduleWithFixedDelay(() -> {
            try {
                JsonNode answer = client.call(method, Params.of());
                if (mode == ApplianceConfig.AuthMode.MODULE) {
                    module.update(answer);
                }
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
