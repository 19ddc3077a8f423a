package io.b24bridge.settings;

import java.util.List;

/** A settings value was refused; nothing was stored. */
public final class InvalidSettingsException extends RuntimeException {

    private final String section;
    private final List<FieldError> errors;

    public InvalidSettingsException(String section, List<FieldError> errors) {
        super("invalid settings" + (section == null ? "" : " in " + section) + ": "
                + errors.stream().map(e -> e.field() + " " + e.reason()).toList());
        this.section = section;
        this.errors = List.copyOf(errors);
    }

    /** The section's key, or null for a whole document. */
    public String section() {
        return section;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
