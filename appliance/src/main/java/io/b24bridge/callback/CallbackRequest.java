package io.b24bridge.callback;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.b24bridge.calls.DialValues;

/**
 * What an {@code OnExternalCallBackStart} asks (box internals §4.3: {@code PHONE_NUMBER, TEXT, VOICE, CRM_ENTITY_TYPE,
 * CRM_ENTITY_ID, LINE_NUMBER}, helper.php:970-978), every value that reaches the PBX checked first. The box registers
 * no call for a callback: the appliance does.
 *
 * @param number     the visitor's number as the dialplan dials it: digits only
 * @param crmNumber  the number as the CRM is told it: the digits, with the {@code +} the form gave, if any
 * @param text       what the form says (TEXT), for the task and the log; never dialled
 * @param entityType the form's CRM entity (LEAD, CONTACT, COMPANY, DEAL), or null when the form named none
 * @param entityId   its id, or null
 * @param lineNumber the external line the form went through (LINE_NUMBER; empty for the application's own line)
 */
public record CallbackRequest(String number, String crmNumber, String text, String entityType, Integer entityId, String lineNumber) {

    static final Set<String> ENTITY_TYPES = Set.of("LEAD", "CONTACT", "COMPANY", "DEAL");

    /** An event this appliance will not act on, and why (a sentence for the log and /health). */
    public static final class Refused extends Exception {

        public Refused(String message) {
            super(message);
        }
    }

    /** Reads and checks the event's data; {@link Refused} names what is wrong. */
    public static CallbackRequest of(Map<String, String> data) throws Refused {
        String given = text(data, "PHONE_NUMBER");
        Optional<String> number = DialValues.phone(given).map(n -> n.replaceAll("[^0-9]", ""));
        if (number.isEmpty()) {
            throw new Refused("the number '" + DialValues.printable(given) + "' is not a phone number the PBX can dial");
        }
        String type = text(data, "CRM_ENTITY_TYPE").toUpperCase(Locale.ROOT);
        Integer id = null;
        if (type.isEmpty()) {
            type = null;
        } else if (!ENTITY_TYPES.contains(type)) {
            throw new Refused("the CRM entity type '" + DialValues.printable(type) + "' is not one a form binds");
        } else {
            try {
                id = Integer.parseInt(text(data, "CRM_ENTITY_ID"));
            } catch (NumberFormatException e) {
                throw new Refused("the event has no usable CRM_ENTITY_ID ('"
                        + DialValues.printable(text(data, "CRM_ENTITY_ID")) + "')");
            }
            if (id <= 0) {
                throw new Refused("the event has no usable CRM_ENTITY_ID ('" + id + "')");
            }
        }
        String line = text(data, "LINE_NUMBER");
        if (!DialValues.line(line)) {
            throw new Refused("the line '" + DialValues.printable(line) + "' is not a line number");
        }
        String said = text(data, "TEXT");
        return new CallbackRequest(number.get(), (given.startsWith("+") ? "+" : "") + number.get(), said.length() > 1000 ? said.substring(0, 1000) : said, type, id, line);
    }

    /**
     * What makes two deliveries the same request: the form's entity and the number (the cloud queue and the module
     * both deliver, each as its own inbox row, and the box itself may repeat).
     */
    public String formKey() {
        return (entityType == null ? "-" : entityType + ":" + entityId) + ":" + number;
    }

    /** The task binding of the entity ({@code L_12}, {@code C_3}, {@code CO_5}, {@code D_7}), if any. */
    public Optional<String> taskBinding() {
        if (entityType == null) {
            return Optional.empty();
        }
        String prefix = switch (entityType) {
            case "LEAD" -> "L_";
            case "CONTACT" -> "C_";
            case "COMPANY" -> "CO_";
            default -> "D_";
        };
        return Optional.of(prefix + entityId);
    }

    private static String text(Map<String, String> data, String key) {
        String v = data.get(key);
        return v == null ? "" : v.strip();
    }
}
