package io.b24bridge.certs;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAKey;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Facts about keys: strength, which signature an issuer key makes, whether a private key fits a certificate. */
final class Keys {

    private Keys() {
    }

    /** The signature algorithm a key of this kind signs certificates and CSRs with. */
    static String signatureAlgorithm(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> switch (curve(key)) {
                case "P-384" -> "SHA384withECDSA";
                case "P-521" -> "SHA512withECDSA";
                default -> "SHA256withECDSA";
            };
            default -> throw new CertsException("keys of type " + key.getAlgorithm() + " are not supported (RSA or EC)");
        };
    }

    /** {@code EC P-256}, {@code RSA 3072}: for people reading the output. */
    static String describe(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "RSA " + ((RSAKey) key).getModulus().bitLength();
            case "EC" -> "EC " + curve(key);
            default -> key.getAlgorithm();
        };
    }

    /**
     * Refuses keys too weak for a certificate the appliance relies on, or of a kind the peers may not speak:
     * RSA under 2048 bits, EC on anything but the NIST curves.
     */
    static void requireAcceptable(PublicKey key, String whose) {
        switch (key.getAlgorithm()) {
            case "RSA" -> {
                int bits = ((RSAKey) key).getModulus().bitLength();
                if (bits < 2048) {
                    throw new CertsException(whose + " has an RSA key of " + bits + " bits: at least 2048 are needed");
                }
            }
            case "EC" -> {
                if (curve(key).startsWith("(")) {
                    throw new CertsException(whose + " has an EC key on an unsupported curve " + curve(key)
                            + ": use P-256, P-384 or P-521");
                }
            }
            default -> throw new CertsException(whose + " has a " + key.getAlgorithm()
                    + " key: only RSA and EC keys are supported");
        }
    }

    /** Whether {@code key} is the private half of {@code publicKey}: a signature made with one verifies with the other. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            String alg = "RSA".equals(publicKey.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(publicKey);
            v.update(challenge);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String curve(PublicKey key) {
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            if (info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid) {
                if (oid.equals(SECObjectIdentifiers.secp256r1)) {
                    return "P-256";
                }
                if (oid.equals(SECObjectIdentifiers.secp384r1)) {
                    return "P-384";
                }
                if (oid.equals(SECObjectIdentifiers.secp521r1)) {
                    return "P-521";
                }
                return "(" + oid.getId() + ")";
            }
        } catch (RuntimeException e) {
            // fall through: an encoding we cannot read is an unknown curve
        }
        return "(explicit parameters)";
    }
}
