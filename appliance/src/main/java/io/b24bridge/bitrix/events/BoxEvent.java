package io.b24bridge.bitrix.events;

import java.time.Instant;
import java.util.Map;

/**
 * An event from the box, as the {@link EventInbox} stored it: {@code OnExternalCallStart},
 * {@code OnExternalCallBackStart}, {@code OnAppInstall}, …
 *
 * @param id         the inbox's id: the same event (a repeat of the cloud queue, a redelivery of the module's queue)
 *                   always has the same id — a listener that must act once keys on it
 * @param source     {@code cloud} (POSTed by Bitrix's cloud queue) or {@code module} (pulled from the b24bridge
 *                   module's queue)
 * @param name       upper-cased event name, e.g. {@code ONEXTERNALCALLSTART}
 * @param data       the event's {@code data[...]} fields (text values; nested ones stay in the stored payload)
 * @param receivedAt when the appliance stored it
 * @param attempt    1 the first time listeners see it, more when an earlier handling failed
 */
public record BoxEvent(long id, String source, String name, Map<String, String> data, Instant receivedAt,
                       int attempt) {

    public static final String EXTERNAL_CALL_START = "ONEXTERNALCALLSTART";
    public static final String EXTERNAL_CALLBACK_START = "ONEXTERNALCALLBACKSTART";
    public static final String APP_INSTALL = "ONAPPINSTALL";

    /**
     * Acts on stored events ({@link InboxHandler#subscribe}). Called on the inbox's own thread, one event at a time in
     * the order they were received; it may take its time (the box was answered long ago). At least once: after a
     * crash between a listener's work and the event's "handled" mark it sees the event again (same {@link #id}).
     * Throwing has the event handled again later (after 1 s, doubling, 10 times at most, then it is set aside and
     * shown in /health); other events go on meanwhile.
     */
    public interface Listener {
        void onEvent(BoxEvent event) throws Exception;
    }
}
