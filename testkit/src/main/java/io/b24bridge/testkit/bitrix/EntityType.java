package io.b24bridge.testkit.bitrix;

import java.util.Locale;
import java.util.Optional;

/** CRM entity types with the numeric ids (OWNER_TYPE_ID) and the task-binding prefixes Bitrix24 uses. */
public enum EntityType {
    LEAD(1, "L"),
    DEAL(2, "D"),
    CONTACT(3, "C"),
    COMPANY(4, "CO");

    private final int typeId;
    private final String prefix;

    EntityType(int typeId, String prefix) {
        this.typeId = typeId;
        this.prefix = prefix;
    }

    public int typeId() {
        return typeId;
    }

    /** The prefix of task bindings: {@code L_12}, {@code C_3}, {@code CO_5}, {@code D_7} (§4). */
    public String prefix() {
        return prefix;
    }

    /** By name (any case) or by numeric type id. */
    public static Optional<EntityType> parse(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        String t = s.strip().toUpperCase(Locale.ROOT);
        for (EntityType e : values()) {
            if (e.name().equals(t) || String.valueOf(e.typeId).equals(t)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public static Optional<EntityType> ofTypeId(int id) {
        for (EntityType e : values()) {
            if (e.typeId == id) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
