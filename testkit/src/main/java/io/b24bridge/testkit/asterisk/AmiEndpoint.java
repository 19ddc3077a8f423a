package io.b24bridge.testkit.asterisk;

/**
 * Where an Asterisk Manager Interface listens and who logs in. {@link #toString()} leaves the secret out,
 * so the value can be logged.
 */
public record AmiEndpoint(String host, int port, String user, String secret) {

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
