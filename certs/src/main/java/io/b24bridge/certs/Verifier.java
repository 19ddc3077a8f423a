package io.b24bridge.certs;

import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks behind {@code verify}: would this keystore work in its role, with this trust store, for these
 * host names, today? Each check is one {@link Finding}; a failure that makes later checks meaningless (a
 * keystore that does not open) ends the list early.
 */
public final class Verifier {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private final Instant now;
    private final int warnDays;

    /** Checks as of {@code now}; a certificate with fewer than {@code warnDays} days left is a warning. */
    public Verifier(Instant now, int warnDays) {
        this.now = now;
        this.warnDays = warnDays;
    }

    /** Checks a trust store: it opens, holds CA certificates, none expired. Returns its certificates too. */
    public List<Finding> trustStore(Path file, char[] password, List<X509Certificate> out) {
        List<Finding> f = new ArrayList<>();
        String name = file.getFileName().toString();
        List<X509Certificate> trusted;
        try {
            trusted = Stores.readTrusted(file, password);
        } catch (CertsException e) {
            f.add(Finding.fail(name + ": " + e.getMessage()));
            return f;
        }
        if (trusted.isEmpty()) {
            f.add(Finding.fail(name + ": holds no trusted certificate: import the CA with import-ca"));
            return f;
        }
        out.addAll(trusted);
        List<String> subjects = new ArrayList<>();
        for (X509Certificate c : trusted) {
            subjects.add("'" + Names.subject(c) + "'");
            if (c.getBasicConstraints() < 0 && c.getVersion() >= 3) {
                f.add(Finding.warn(name + ": '" + Names.subject(c) + "' is not a CA certificate; trusting an"
                        + " end-entity certificate directly is fragile"));
            }
            if (now.isAfter(c.getNotAfter().toInstant())) {
                // stale, not harmful by itself: what chains through it fails, and is reported there
                f.add(Finding.warn(name + ": CA '" + Names.subject(c) + "' expired on " + c.getNotAfter().toInstant()
                        + ": drop it (import-ca --replace)"));
            } else {
                validity(f, name + ": CA '" + Names.subject(c) + "'", c, true);
            }
        }
        f.add(Finding.pass(name + ": opens; trusts " + String.join(", ", subjects)));
        return f;
    }

    /**
     * Checks a keystore for {@code role}: opens with the password, key matches certificate, valid now, extended
     * key usage fits, key usage allows TLS, the names cover {@code hosts} (servers), the chain reaches one of
     * {@code anchors}.
     */
    public List<Finding> keyStore(Path file, char[] password, Optional<String> alias, Role role,
                                  List<X509Certificate> anchors, List<String> hosts) {
        List<Finding> f = new ArrayList<>();
        String name = file.getFileName().toString();
        Stores.Entry entry;
        try {
            entry = Stores.readKey(file, password, alias);
        } catch (CertsException e) {
            f.add(Finding.fail(name + ": " + e.getMessage()));
            return f;
        }
        X509Certificate cert = entry.keyAndChain().certificate();
        f.add(Finding.pass(name + ": opens; key '" + entry.alias() + "' (" + Keys.describe(cert.getPublicKey())
                + ") for '" + Names.subject(cert) + "'"));
        if (Keys.matches(entry.keyAndChain().key(), cert.getPublicKey())) {
            f.add(Finding.pass(name + ": the private key matches the certificate"));
        } else {
            f.add(Finding.fail(name + ": the private key does not belong to the certificate '"
                    + Names.subject(cert) + "'"));
        }
        validity(f, name, cert, false);
        f.addAll(usage(name, cert, role));
        if (role == Role.SERVER) {
            f.addAll(hostNames(name, cert, hosts));
        }
        List<X509Certificate> sent = entry.keyAndChain().chain();
        Chains.Chain path = Chains.build(cert, sent.subList(1, sent.size()), anchors);
        for (X509Certificate ca : path.certificates().subList(1, path.certificates().size())) {
            validity(f, name + ": intermediate '" + Names.subject(ca) + "'", ca, true);
        }
        Optional<String> problem = Chains.validate(path, now);
        if (path.anchor().isEmpty()) {
            f.add(Finding.fail(name + ": " + problem.orElse("") + ": the peer will refuse it (wrong CA, or"
                    + " an intermediate missing from the keystore; the trust store holds " + anchors.size()
                    + " CA(s))"));
        } else if (problem.isPresent()) {
            f.add(Finding.fail(name + ": " + problem.get()));
        } else {
            f.add(Finding.pass(name + ": chains to the trusted CA '" + Names.subject(path.anchor().get()) + "'"));
        }
        return f;
    }

    /**
     * The checks of a certificate alone for {@code role}: valid now, extended key usage and key usage fit, not a
     * CA, and (a server) names some host.
     */
    public List<Finding> certificate(String name, X509Certificate cert, Role role) {
        List<Finding> f = new ArrayList<>();
        validity(f, name, cert, false);
        f.addAll(usage(name, cert, role));
        if (role == Role.SERVER && SubjectAltNames.of(cert).isEmpty()) {
            f.add(Finding.fail(name + ": names no host (no DNS/IP subject alternative names): clients will refuse it"));
        }
        return f;
    }

    private List<Finding> usage(String name, X509Certificate cert, Role role) {
        List<Finding> f = new ArrayList<>();
        String wanted = role == Role.SERVER ? SERVER_AUTH : CLIENT_AUTH;
        String other = role == Role.SERVER ? CLIENT_AUTH : SERVER_AUTH;
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            f.add(Finding.fail(name + ": the extended key usage cannot be read"));
            return f;
        }
        if (eku == null) {
            f.add(Finding.warn(name + ": no extended key usage: TLS stacks accept it for any role; ask for "
                    + role.purposeName() + " only"));
        } else if (eku.contains(wanted)) {
            f.add(Finding.pass(name + ": extended key usage " + role.purposeName() + " fits the "
                    + role.optionName() + " role"));
            if (eku.contains(other) || eku.contains(ANY_EKU)) {
                f.add(Finding.warn(name + ": it may also act as a " + role.other().optionName()
                        + ": one key can play both sides; a certificate per role is safer"));
            }
        } else if (eku.contains(ANY_EKU)) {
            f.add(Finding.warn(name + ": extended key usage anyExtendedKeyUsage: accepted, but ask for "
                    + role.purposeName() + " only"));
        } else {
            f.add(Finding.fail(name + ": extended key usage " + ekuNames(eku) + " does not allow the "
                    + role.optionName() + " role (needs " + role.purposeName() + "): the peer will refuse it"));
        }
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && !ku[0]) {
            f.add(Finding.fail(name + ": key usage lacks digitalSignature, which TLS 1.3 and ECDHE need"));
        }
        if (cert.getBasicConstraints() >= 0) {
            f.add(Finding.fail(name + ": this is a CA certificate; TLS needs an end-entity certificate"));
        }
        return f;
    }

    private static List<Finding> hostNames(String name, X509Certificate cert, List<String> hosts) {
        List<Finding> f = new ArrayList<>();
        SubjectAltNames sans = SubjectAltNames.of(cert);
        if (sans.isEmpty()) {
            f.add(Finding.fail(name + ": names no host (no DNS/IP subject alternative names): clients will refuse it"));
            return f;
        }
        if (hosts.isEmpty()) {
            f.add(Finding.warn(name + ": host names not checked (give --host): the certificate names " + sans));
        }
        for (String h : hosts) {
            if (sans.covers(h)) {
                f.add(Finding.pass(name + ": covers host " + h));
            } else {
                f.add(Finding.fail(name + ": does not cover host " + h + " (it names " + sans
                        + "): a client connecting to " + h + " refuses it"));
            }
        }
        return f;
    }

    private void validity(List<Finding> f, String what, X509Certificate c, boolean quietWhenFine) {
        Instant from = c.getNotBefore().toInstant();
        Instant to = c.getNotAfter().toInstant();
        if (now.isBefore(from)) {
            f.add(Finding.fail(what + ": not valid before " + from + " (check the clock)"));
        } else if (now.isAfter(to)) {
            f.add(Finding.fail(what + ": expired on " + to));
        } else {
            long days = Duration.between(now, to).toDays();
            if (days < warnDays) {
                f.add(Finding.warn(what + ": expires in " + days + " days (" + to + "): renew it"));
            } else if (!quietWhenFine) {
                f.add(Finding.pass(what + ": valid until " + to + " (" + days + " days)"));
            }
        }
    }

    private static String ekuNames(List<String> eku) {
        List<String> names = new ArrayList<>();
        for (String oid : eku) {
            names.add(switch (oid) {
                case SERVER_AUTH -> "serverAuth";
                case CLIENT_AUTH -> "clientAuth";
                case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
                case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
                default -> oid;
            });
        }
        return String.join(", ", names);
    }
}
