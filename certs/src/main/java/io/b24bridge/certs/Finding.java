package io.b24bridge.certs;

/** One line of a check: {@code PASS}, {@code WARN} (works, but look at it) or {@code FAIL} (will not work). */
public record Finding(Status status, String message) {

    public enum Status { PASS, WARN, FAIL }

    public static Finding pass(String message) {
        return new Finding(Status.PASS, message);
    }

    public static Finding warn(String message) {
        return new Finding(Status.WARN, message);
    }

    public static Finding fail(String message) {
        return new Finding(Status.FAIL, message);
    }

    @Override
    public String toString() {
        return String.format("%-4s  %s", status, message);
    }
}
