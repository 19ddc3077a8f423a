package io.b24bridge.certs;

/**
 * A problem the person running the tool can fix: a missing file, a wrong password, a file that is not what it
 * should be, a request the tool refuses. The message is shown as is, so it names the file and says what to do.
 */
public class CertsException extends RuntimeException {

    public CertsException(String message) {
        super(message);
    }

    public CertsException(String message, Throwable cause) {
        super(message, cause);
    }
}
