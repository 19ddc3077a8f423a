package io.b24bridge.store;

/**
 * One step of the schema: a numbered SQL script on the class path, applied once, in order.
 *
 * @param version     its number; versions are applied in increasing order and never reused
 * @param description what it adds, for the history table and the log
 * @param resource    class-path location of the script (statements end with {@code ;} at a line end)
 */
public record Migration(int version, String description, String resource) {
}
