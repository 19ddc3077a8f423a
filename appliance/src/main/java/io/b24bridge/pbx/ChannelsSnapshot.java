package io.b24bridge.pbx;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.asteriskjava.manager.event.CoreShowChannelEvent;

/**
 * The PBX's channels right after a (re)connect: the answer to {@code CoreShowChannels}, and for the channels
 * found talking (up, in a bridge) when they answered, as the PBX's own call record says ({@code CDR(answer)}):
 * a call answered while the link was down keeps its real talk time.
 *
 * @param answeredAt uniqueid → answer time; a talking channel the PBX gave no answer time for is absent
 */
public record ChannelsSnapshot(List<CoreShowChannelEvent> channels, Map<String, Instant> answeredAt) {

    public ChannelsSnapshot {
        channels = List.copyOf(channels);
        answeredAt = Map.copyOf(answeredAt);
    }

    public static ChannelsSnapshot of(List<CoreShowChannelEvent> channels) {
        return new ChannelsSnapshot(channels, Map.of());
    }
}
