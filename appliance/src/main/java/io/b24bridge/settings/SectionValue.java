package io.b24bridge.settings;

/** The value of one settings section: an immutable record that can say what is wrong with itself. */
public sealed interface SectionValue
        permits InboundRoutes, OutboundRoutes, ClickToCall, Callback, CallData, TaskTemplates, Exceptions, Routing {

    /** Reports every problem of this value into {@code problems}. */
    void validate(Problems problems);
}
