package io.b24bridge.bitrix.events;

import java.util.Map;

/**
 * An event the box delivered (contract §3), checked: {@code OnExternalCallStart},
 * {@code OnExternalCallBackStart}, …
 *
 * @param name upper-cased event name, e.g. {@code ONEXTERNALCALLSTART}
 * @param data the event's {@code data[...]} fields
 */
public record BoxEvent(String name, Map<String, String> data) {

    public static final String EXTERNAL_CALL_START = "ONEXTERNALCALLSTART";
    public static final String EXTERNAL_CALLBACK_START = "ONEXTERNALCALLBACKSTART";
    public static final String APP_INSTALL = "ONAPPINSTALL";

    /** Receives checked events; must return quickly (work goes to its own thread). */
    public interface Listener {
        void onEvent(BoxEvent event);
    }
}
