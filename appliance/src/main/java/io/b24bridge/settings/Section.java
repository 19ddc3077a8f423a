package io.b24bridge.settings;

import java.util.Arrays;
import java.util.Optional;

/** The sections of the settings, each with its key in the API and the export document, its type and default. */
public enum Section {
    INBOUND_ROUTES("inbound-routes", InboundRoutes.class, InboundRoutes.DEFAULT),
    OUTBOUND_ROUTES("outbound-routes", OutboundRoutes.class, OutboundRoutes.DEFAULT),
    CLICK_TO_CALL("click-to-call", ClickToCall.class, ClickToCall.DEFAULT),
    CALLBACK("callback", Callback.class, Callback.DEFAULT),
    CALL_DATA("call-data", CallData.class, CallData.DEFAULT),
    TASK_TEMPLATES("task-templates", TaskTemplates.class, TaskTemplates.DEFAULT),
    EXCEPTIONS("exceptions", Exceptions.class, Exceptions.DEFAULT),
    ROUTING("routing", Routing.class, Routing.DEFAULT);

    private final String key;
    private final Class<? extends SectionValue> type;
    private final SectionValue defaultValue;

    Section(String key, Class<? extends SectionValue> type, SectionValue defaultValue) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
    }

    public String key() {
        return key;
    }

    public Class<? extends SectionValue> type() {
        return type;
    }

    public SectionValue defaultValue() {
        return defaultValue;
    }

    public static Optional<Section> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
