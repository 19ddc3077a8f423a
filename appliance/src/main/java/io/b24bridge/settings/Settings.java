package io.b24bridge.settings;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One consistent snapshot of all settings at one version. Immutable: readers on the call path hold a
 * snapshot and never see half of a change.
 *
 * @param version  the number of the last change (0: nothing was ever saved)
 * @param sections every section's value (defaults for sections never saved)
 */
public record Settings(long version, Map<Section, SectionValue> sections) {

    public Settings {
        EnumMap<Section, SectionValue> all = new EnumMap<>(Section.class);
        for (Section s : Section.values()) {
            all.put(s, sections.getOrDefault(s, s.defaultValue()));
        }
        sections = Collections.unmodifiableMap(all);
    }

    public static Settings defaults() {
        return new Settings(0, Map.of());
    }

    public SectionValue get(Section section) {
        return sections.get(section);
    }

    public InboundRoutes inboundRoutes() {
        return (InboundRoutes) get(Section.INBOUND_ROUTES);
    }

    public OutboundRoutes outboundRoutes() {
        return (OutboundRoutes) get(Section.OUTBOUND_ROUTES);
    }

    public ClickToCall clickToCall() {
        return (ClickToCall) get(Section.CLICK_TO_CALL);
    }

    public Callback callback() {
        return (Callback) get(Section.CALLBACK);
    }

    public CallData callData() {
        return (CallData) get(Section.CALL_DATA);
    }

    public TaskTemplates taskTemplates() {
        return (TaskTemplates) get(Section.TASK_TEMPLATES);
    }

    public Exceptions exceptions() {
        return (Exceptions) get(Section.EXCEPTIONS);
    }

    public Routing routing() {
        return (Routing) get(Section.ROUTING);
    }
}
