package io.b24bridge.certs;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Certificate paths: from a certificate up to a trusted CA, built and then checked the way a TLS peer does. */
public final class Chains {

    /** Deeper than any real corporate PKI; stops loops in a bad set. */
    private static final int MAX_DEPTH = 8;

    private Chains() {
    }

    /**
     * A path: {@code certificates} from the end-entity up to (not including) {@code anchor}, the trusted CA that
     * signed the last of them; no anchor when the path ends at a certificate nobody trusts ({@link #top()}).
     */
    public record Chain(List<X509Certificate> certificates, Optional<X509Certificate> anchor) {

        public Chain {
            certificates = List.copyOf(certificates);
        }

        /** The last certificate of the path below the anchor. */
        public X509Certificate top() {
            return certificates.getLast();
        }

        /** The CA certificates of the path, anchor included: what a peer needs to verify the end-entity. */
        public List<X509Certificate> caCertificates() {
            List<X509Certificate> cas = new ArrayList<>(certificates.subList(1, certificates.size()));
            anchor.ifPresent(cas::add);
            return cas;
        }

        /** The certificates to send in a handshake: the end-entity and its intermediates, no self-signed root. */
        public List<X509Certificate> toSend() {
            List<X509Certificate> send = new ArrayList<>();
            for (X509Certificate c : certificates) {
                if (send.isEmpty() || !isSelfSigned(c)) {
                    send.add(c);
                }
            }
            anchor.filter(a -> !isSelfSigned(a)).ifPresent(send::add);
            return send;
        }
    }

    /**
     * Builds the path from {@code leaf} upwards: at each step the issuer is looked for among {@code anchors}
     * first (a trusted CA ends the path), then among {@code intermediates}, matched by name and signature.
     */
    public static Chain build(X509Certificate leaf, Collection<X509Certificate> intermediates,
                             Collection<X509Certificate> anchors) {
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        X509Certificate current = leaf;
        if (containsSame(anchors, leaf)) {
            return new Chain(path, Optional.of(leaf));
        }
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Optional<X509Certificate> anchor = issuerAmong(current, anchors, List.of(), false);
            if (anchor.isPresent()) {
                return new Chain(path, anchor);
            }
            if (isSelfSigned(current)) {
                break;
            }
            Optional<X509Certificate> next = issuerAmong(current, intermediates, path, true);
            if (next.isEmpty()) {
                break;
            }
            path.add(next.get());
            current = next.get();
        }
        return new Chain(path, Optional.empty());
    }

    /**
     * Checks an anchored path as JSSE's PKIX trust manager does (signatures, validity at {@code at}, CA basic
     * constraints and key usage, path length), revocation aside. Returns the problem, empty when it is fine.
     */
    public static Optional<String> validate(Chain path, Instant at) {
        if (path.anchor().isEmpty()) {
            return Optional.of("no trusted CA signs '" + Names.subject(path.top()) + "' (issuer '"
                    + Names.issuer(path.top()) + "')");
        }
        try {
            List<X509Certificate> certs = new ArrayList<>(path.certificates());
            if (certs.size() == 1 && certs.getFirst().equals(path.anchor().get())) {
                return Optional.of("'" + Names.subject(certs.getFirst()) + "' is itself a trust anchor, not a"
                        + " certificate issued by one");
            }
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(certs);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(path.anchor().get(), null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(cp, params);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            String where = e.getIndex() >= 0 && e.getIndex() < path.certificates().size()
                    ? " at '" + Names.subject(path.certificates().get(e.getIndex())) + "'" : "";
            return Optional.of("the chain is refused" + where + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return Optional.of("the chain cannot be checked: " + e.getMessage());
        }
    }

    public static boolean isSelfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
    }

    static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static boolean containsSame(Collection<X509Certificate> certs, X509Certificate c) {
        for (X509Certificate x : certs) {
            try {
                if (Arrays.equals(x.getEncoded(), c.getEncoded())) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // an unencodable certificate is no match
            }
        }
        return false;
    }

    private static Optional<X509Certificate> issuerAmong(X509Certificate c, Collection<X509Certificate> candidates,
                                                         List<X509Certificate> exclude, boolean mustBeCa) {
        // a trusted root may be an old v1 certificate without basicConstraints; PKIX accepts it as an anchor
        for (X509Certificate cand : candidates) {
            if (!containsSame(exclude, cand) && (!mustBeCa || cand.getBasicConstraints() >= 0) && signedBy(c, cand)) {
                return Optional.of(cand);
            }
        }
        return Optional.empty();
    }
}
