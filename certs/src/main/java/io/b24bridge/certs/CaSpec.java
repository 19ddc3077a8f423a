package io.b24bridge.certs;

/**
 * What {@link Pki#initCa} makes: a self-signed CA certificate for {@code subject} with a new key of
 * {@code keyType}, valid for {@code validity}, allowed {@code pathLength} intermediate CAs below it (0 or 1).
 */
public record CaSpec(String subject, KeyType keyType, Validity validity, int pathLength) {

    public CaSpec {
        Names.parse(subject);
        if (pathLength < 0 || pathLength > 1) {
            throw new CertsException("the path length must be 0 (the CA signs only end-entity certificates)"
                    + " or 1 (it may sign one level of intermediate CA), not " + pathLength);
        }
    }

    /** A lab/small-site CA: EC P-256, ten years, no intermediates. */
    public static CaSpec of(String subject) {
        return new CaSpec(subject, KeyType.EC_P256, Validity.days(3650), 0);
    }
}
