package io.b24bridge.health;

/** Something whose state {@code /health} reports. Checks must be quick and never throw. */
public interface HealthPart {

    /** The part's name in the report: {@code database}, {@code pbx}, {@code bitrix24}, … */
    String name();

    PartHealth check();

    /**
     * Whether the appliance fails its job when this part is DOWN (then /health answers 503, which monitoring reads):
     * the database (nothing is recorded) and the PBX link (no call is followed). The box being away is a problem to
     * report, not a failure: every call waits in the outbox and reaches the CRM once it is back.
     */
    default boolean critical() {
        return false;
    }

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
