package io.b24bridge.health;

/** Something whose state {@code /health} reports. Checks must be quick and never throw. */
public interface HealthPart {

    /** The part's name in the report: {@code database}, {@code pbx}, {@code bitrix24}, … */
    String name();

    PartHealth check();

    /** A part that a later release (or this installation's configuration) does not provide yet. */
    static HealthPart notConfigured(String name, String detail) {
        return new HealthPart() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public PartHealth check() {
                return PartHealth.notConfigured(detail);
            }
        };
    }
}
