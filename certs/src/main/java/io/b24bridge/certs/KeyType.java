package io.b24bridge.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key types the tool makes: what TLS stacks on both sides (JSSE, OpenSSL in nginx) all accept. */
public enum KeyType {
    RSA_3072("rsa3072"),
    EC_P256("ec-p256"),
    EC_P384("ec-p384");

    private final String optionName;

    KeyType(String optionName) {
        this.optionName = optionName;
    }

    /** How the key type is written on the command line ({@code --key ec-p256}). */
    public String optionName() {
        return optionName;
    }

    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator gen;
            switch (this) {
                case RSA_3072 -> {
                    gen = KeyPairGenerator.getInstance("RSA");
                    gen.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), random);
                }
                case EC_P256 -> {
                    gen = KeyPairGenerator.getInstance("EC");
                    gen.initialize(new ECGenParameterSpec("secp256r1"), random);
                }
                default -> {
                    gen = KeyPairGenerator.getInstance("EC");
                    gen.initialize(new ECGenParameterSpec("secp384r1"), random);
                }
            }
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot make " + optionName + " keys", e);
        }
    }

    /** Reads {@code rsa3072}, {@code ec-p256}, {@code ec-p384} (also {@code rsa}, {@code p256}, {@code p384}). */
    public static KeyType parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "rsa3072", "rsa-3072", "rsa" -> RSA_3072;
            case "ec-p256", "p256", "p-256", "ec", "secp256r1", "prime256v1" -> EC_P256;
            case "ec-p384", "p384", "p-384", "secp384r1" -> EC_P384;
            default -> throw new CertsException("'" + text + "' is not a key type: use one of "
                    + Arrays.stream(values()).map(KeyType::optionName).collect(Collectors.joining(", ")));
        };
    }
}
