package io.b24bridge.doctor;

/**
 * One line of the doctor's report.
 *
 * @param level   OK, WARN (works, needs attention) or FAIL (will not work: the exit status says so)
 * @param check   the check's name, e.g. {@code bitrix24.tls}
 * @param message what was found and, when something is wrong, what to do about it
 */
public record Finding(Level level, String check, String message) {

    public enum Level { OK, WARN, FAIL }

    public static Finding ok(String check, String message) {
        return new Finding(Level.OK, check, message);
    }

    public static Finding warn(String check, String message) {
        return new Finding(Level.WARN, check, message);
    }

    public static Finding fail(String check, String message) {
        return new Finding(Level.FAIL, check, message);
    }

    /** The printed line: level, check, message. */
    public String line() {
        return String.format("%-4s  %-24s %s", level, check, message);
    }
}
