package io.b24bridge.certs;

import java.security.PublicKey;
import java.util.Locale;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What a leaf certificate is for. One certificate per role: a server certificate that could also log in as a
 * client (or the reverse) would let whoever holds one key play both sides, so the tool never issues both.
 */
public enum Role {
    /** Presented by a TLS server: the appliance's box and admin listeners, the box's nginx. */
    SERVER(KeyPurposeId.id_kp_serverAuth, "serverAuth", "appliance-server"),
    /** Presented by a TLS client: the appliance towards the box, the box's nginx towards the appliance. */
    CLIENT(KeyPurposeId.id_kp_clientAuth, "clientAuth", "appliance-client");

    private final KeyPurposeId purpose;
    private final String purposeName;
    private final String defaultName;

    Role(KeyPurposeId purpose, String purposeName, String defaultName) {
        this.purpose = purpose;
        this.purposeName = purposeName;
        this.defaultName = defaultName;
    }

    /** The extended key usage this role needs. */
    public KeyPurposeId purpose() {
        return purpose;
    }

    /** The extended key usage's usual name ({@code serverAuth}, {@code clientAuth}). */
    public String purposeName() {
        return purposeName;
    }

    /** The base name of the appliance's files for this role ({@code appliance-server}). */
    public String defaultName() {
        return defaultName;
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The other role: the usage a certificate of this role must not carry. */
    public Role other() {
        return this == SERVER ? CLIENT : SERVER;
    }

    /**
     * Key usage bits for a leaf of this role: digitalSignature always (TLS 1.3 and ECDHE sign with the key);
     * keyEncipherment too for an RSA server, which TLS 1.2's RSA key exchange still needs.
     */
    int keyUsageBits(PublicKey key) {
        int bits = KeyUsage.digitalSignature;
        if (this == SERVER && "RSA".equals(key.getAlgorithm())) {
            bits |= KeyUsage.keyEncipherment;
        }
        return bits;
    }

    public static Role parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "server" -> SERVER;
            case "client" -> CLIENT;
            default -> throw new CertsException("'" + text + "' is not a role: use server or client");
        };
    }
}
