package io.b24bridge.settings;

import java.util.regex.Pattern;

/**
 * Where a call goes on the PBX when the person meant for it does not take it.
 *
 * @param type  what kind of destination
 * @param value the extension, the extensions separated by commas, the ring group number or the queue name
 */
public record Target(Type type, String value) {

    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Kinds of destination a dialplan can ring. */
    public enum Type {
        /** nothing more: the call ends (the route's voicemail/IVR may take it in the dialplan) */
        NONE,
        /** one extension */
        EXTENSION,
        /** several extensions rung together: {@code 101,102,103} */
        EXTENSIONS,
        /** a ring group, dialled by its number */
        RING_GROUP,
        /** an Asterisk queue, by name */
        QUEUE
    }

    public static Target none() {
        return new Target(Type.NONE, null);
    }

    void validate(Problems p) {
        if (!p.required("type", type)) {
            return;
        }
        switch (type) {
            case NONE -> {
                if (value != null && !value.isBlank()) {
                    p.add("value", "must be empty when type is NONE");
                }
            }
            case EXTENSION, RING_GROUP -> {
                if (p.required("value", value)) {
                    p.extension("value", value);
                }
            }
            case EXTENSIONS -> {
                if (p.required("value", value)) {
                    for (String ext : value.split(",", -1)) {
                        if (!ext.strip().matches("[0-9]{2,8}")) {
                            p.add("value", "must be extensions separated by commas, e.g. 101,102 ('"
                                    + ext.strip() + "' is not an extension)");
                            break;
                        }
                    }
                }
            }
            case QUEUE -> {
                if (p.required("value", value) && !QUEUE.matcher(value).matches()) {
                    p.add("value", "must be a queue name: letters, digits, _ and -");
                }
            }
        }
    }
}
