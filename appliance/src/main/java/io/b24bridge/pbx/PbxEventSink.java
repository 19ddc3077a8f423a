package io.b24bridge.pbx;

import java.util.List;

import org.asteriskjava.manager.event.ManagerEvent;

/**
 * Where a PBX's AMI stream goes (the call model). For one PBX every call comes from that PBX's own intake
 * thread, one at a time, in the order the PBX sent the events; different PBXs call from different threads.
 *
 * <p>The calls follow this shape, per PBX: {@code (onConnected (onEvent|onEvents)* onDisconnected)*}. Nothing of a link
 * is delivered before its {@code onConnected}; events that arrived while the snapshot was taken are held and
 * delivered right after it, so some of them may already be reflected in the snapshot (a consumer must take a
 * Newchannel of a channel it already knows, or a Hangup of one it never saw, in its stride).
 *
 * <p>A slow sink slows the intake down (back-pressure) rather than losing events; if it stays behind so long
 * that asterisk-java's own buffer overflows, the link is dropped and re-established, which the sink sees as
 * {@code onDisconnected} and a fresh {@code onConnected} snapshot. A sink must not throw; if it does, the
 * exception is logged and counted and the stream goes on.
 */
public interface PbxEventSink {

    /**
     * The link to PBX {@code pbxId} is up (first connect or reconnect).
     *
     * @param channelsNow every channel the PBX has at this moment (the answer to {@code CoreShowChannels}), with
     *                    the answer times of those talking: calls that started while the link was down are in
     *                    it; calls the consumer knows that are not in it ended meanwhile
     */
    void onConnected(String pbxId, ChannelsSnapshot channelsNow);

    /**
     * Whether the sink reads this event at all: those it does not are not held while a link's snapshot is taken
     * (they may still be delivered afterwards, as every event is).
     */
    default boolean wants(ManagerEvent event) {
        return true;
    }

    /**
     * One AMI event, as asterisk-java parsed it. Not passed on: the library's own connect/disconnect events,
     * the answers to this appliance's actions (the CoreShowChannel list), and the events the library makes up
     * for pre-Asterisk-12 consumers ({@code Dial}, {@code Bridge} Link/Unlink, MeetMe from ConfBridge).
     */
    void onEvent(String pbxId, ManagerEvent event);

    /**
     * A run of events that queued up while the sink was busy, in the order the PBX sent them: the same as
     * {@link #onEvent} for each, which a sink may do in one go (the call spine stores the run's changes in one
     * transaction).
     */
    default void onEvents(String pbxId, List<ManagerEvent> events) {
        for (ManagerEvent e : events) {
            onEvent(pbxId, e);
        }
    }

    /**
     * The link went down: events may be missed until the next {@link #onConnected}.
     *
     * @param reason one sentence for the log and the health page
     */
    void onDisconnected(String pbxId, String reason);
}
