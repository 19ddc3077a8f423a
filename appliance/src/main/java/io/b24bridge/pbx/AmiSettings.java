package io.b24bridge.pbx;

import java.time.Duration;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;

/**
 * What one {@link AmiConnection} needs: the PBX's part of the configuration file plus the timings the file
 * does not expose (tests shorten them).
 *
 * @param pbxId           the PBX's id (namespace of its Linkedids)
 * @param host            AMI address
 * @param port            AMI port
 * @param username        AMI user
 * @param secret          its secret (never logged)
 * @param reconnectMin    first wait after a drop
 * @param reconnectMax    longest wait between attempts
 * @param pingInterval    a Ping goes out this often; one unanswered for a whole interval ends the link
 * @param connectTimeout  TCP connect limit
 * @param responseTimeout limit for the banner and each action's response (login, ping answer)
 * @param snapshotTimeout limit for the whole CoreShowChannels list after a (re)connect
 * @param queueCapacity   events held between the AMI reader and the sink before the reader is slowed down
 */
public record AmiSettings(String pbxId, String host, int port, String username, Secret secret,
                          Duration reconnectMin, Duration reconnectMax, Duration pingInterval,
                          Duration connectTimeout, Duration responseTimeout, Duration snapshotTimeout,
                          int queueCapacity) {

    /** Holds about a minute of a busy PBX (≈ 100 events per call) before the reader is slowed down. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    public AmiSettings {
        if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnect-min must be positive and not above reconnect-max");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive");
        }
    }

    public static AmiSettings of(ApplianceConfig.Pbx pbx) {
        return new AmiSettings(pbx.id(), pbx.host(), pbx.port(), pbx.username(), pbx.secret(),
                pbx.reconnectMin(), pbx.reconnectMax(), pbx.pingInterval(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(15), DEFAULT_QUEUE_CAPACITY);
    }

    /** The wait after a refused login: Asterisk hosts often ban an address after a few failures (fail2ban). */
    public Duration loginRetry() {
        return reconnectMax.multipliedBy(2);
    }

    public AmiSettings withTimings(Duration reconnectMin, Duration reconnectMax, Duration pingInterval) {
        return new AmiSettings(pbxId, host, port, username, secret, reconnectMin, reconnectMax, pingInterval,
                connectTimeout, responseTimeout, snapshotTimeout, queueCapacity);
    }

    public AmiSettings withTimeouts(Duration connectTimeout, Duration responseTimeout, Duration snapshotTimeout) {
        return new AmiSettings(pbxId, host, port, username, secret, reconnectMin, reconnectMax, pingInterval,
                connectTimeout, responseTimeout, snapshotTimeout, queueCapacity);
    }

    public AmiSettings withQueueCapacity(int capacity) {
        return new AmiSettings(pbxId, host, port, username, secret, reconnectMin, reconnectMax, pingInterval,
                connectTimeout, responseTimeout, snapshotTimeout, capacity);
    }

    @Override
    public String toString() {
        return "AmiSettings[" + pbxId + " " + username + "@" + host + ":" + port + "]";
    }
}
