package io.b24bridge.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects the {@link FieldError}s of a validation, each under its full path. A section's {@code validate}
 * reports everything wrong at once rather than the first problem only.
 */
public final class Problems {

    private static final Pattern EXTENSION = Pattern.compile("[0-9]{2,8}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{3,20}");

    private final List<FieldError> errors;
    private final String prefix;

    public Problems() {
        this(new ArrayList<>(), "");
    }

    private Problems(List<FieldError> errors, String prefix) {
        this.errors = errors;
        this.prefix = prefix;
    }

    /** Problems of a nested object, reported under {@code field.}. */
    public Problems at(String field) {
        return new Problems(errors, path(field) + ".");
    }

    /** Problems of a list element, reported under {@code field[index].}. */
    public Problems at(String field, int index) {
        return new Problems(errors, path(field) + "[" + index + "].");
    }

    public void add(String field, String reason) {
        errors.add(new FieldError(path(field), reason));
    }

    public String path(String field) {
        return prefix + field;
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    // ---- the checks the sections share ----

    public boolean required(String field, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    public void text(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            add(field, "is longer than " + maxLength + " characters");
        }
    }

    /** A list no longer than {@code max}: every list is looked through on calls, and shown whole in the panel. */
    public void maxItems(String field, List<?> list, int max) {
        if (list != null && list.size() > max) {
            add(field, "holds " + list.size() + " entries; at most " + max + " are taken");
        }
    }

    public void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            add(field, "must be between " + min + " and " + max + " (was " + value + ")");
        }
    }

    public void positiveId(String field, Integer value) {
        if (value != null && value <= 0) {
            add(field, "must be a Bitrix24 id (a positive number)");
        }
    }

    public void extension(String field, String value) {
        if (value != null && !EXTENSION.matcher(value).matches()) {
            add(field, "must be an extension: 2 to 8 digits");
        }
    }

    public void phoneOrPattern(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.startsWith("_")) {
            DialPattern.validate(value).ifPresent(reason -> add(field, reason));
        } else if (!PHONE.matcher(value).matches()) {
            add(field, "must be a number (3 to 20 digits, optional +) or a dial pattern like _8495XXXXXXX");
        }
    }

    public void extensionOrPattern(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.startsWith("_")) {
            DialPattern.validate(value).ifPresent(reason -> add(field, reason));
        } else {
            extension(field, value);
        }
    }

    /** Reports entries of {@code values} that occur more than once. */
    public <T> void unique(String listField, String itemField, Collection<T> values) {
        Set<T> seen = new HashSet<>();
        int i = 0;
        for (T v : values) {
            if (v != null && !seen.add(v)) {
                add(listField + "[" + i + "]" + (itemField.isEmpty() ? "" : "." + itemField),
                        "duplicates an earlier entry ('" + v + "')");
            }
            i++;
        }
    }
}
