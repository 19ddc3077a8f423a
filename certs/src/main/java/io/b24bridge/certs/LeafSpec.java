package io.b24bridge.certs;

/**
 * An end-entity key and certificate to make: its {@code role} (server or client), {@code subject}, alternative
 * {@code names}, and the {@code keyType} of the new key. A server needs at least one name: clients check the
 * host they connect to against it.
 */
public record LeafSpec(Role role, String subject, SubjectAltNames names, KeyType keyType) {

    public LeafSpec {
        Names.parse(subject);
        if (role == Role.SERVER && names.isEmpty()) {
            throw new CertsException("a server certificate needs at least one DNS name or IP address"
                    + " (--dns/--ip): clients check the host they connect to against it");
        }
    }

    public static LeafSpec server(String subject, SubjectAltNames names) {
        return new LeafSpec(Role.SERVER, subject, names, KeyType.EC_P256);
    }

    public static LeafSpec client(String subject) {
        return new LeafSpec(Role.CLIENT, subject, SubjectAltNames.none(), KeyType.EC_P256);
    }
}
