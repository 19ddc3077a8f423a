package io.b24bridge.certs;

import java.util.Optional;

/**
 * How {@link Pki#sign} turns a CSR into a certificate: the {@code role} it is signed for, a {@code subject}
 * that replaces the requested one (empty: keep the CSR's), {@code extraNames} added to those the CSR asks for,
 * and the {@code validity}.
 */
public record SignOptions(Role role, Optional<String> subject, SubjectAltNames extraNames, Validity validity) {

    public SignOptions {
        subject.ifPresent(Names::parse);
    }

    public static SignOptions of(Role role, Validity validity) {
        return new SignOptions(role, Optional.empty(), SubjectAltNames.none(), validity);
    }
}
