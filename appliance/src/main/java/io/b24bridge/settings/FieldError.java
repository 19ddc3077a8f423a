package io.b24bridge.settings;

/**
 * One reason a settings value was refused.
 *
 * @param field  the field's path inside the section, e.g. {@code routes[0].did}
 * @param reason what is wrong, for a person
 */
public record FieldError(String field, String reason) {
}
