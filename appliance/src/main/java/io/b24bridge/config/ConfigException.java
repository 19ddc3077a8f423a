package io.b24bridge.config;

/** The configuration cannot be used; the message is one line that names the key and says what is wrong. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
