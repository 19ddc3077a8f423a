package io.b24bridge.certs;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code import-ca}: the corporate CA chain into ca.pem and trust.p12. */
final class ImportCaCommand implements Command {

    @Override
    public String name() {
        return "import-ca";
    }

    @Override
    public String summary() {
        return "import the corporate CA chain (PEM/DER, root + intermediates) into ca.pem and trust.p12";
    }

    @Override
    public String description() {
        return """
                Reads CA certificates (PEM with one or more blocks, DER, or PKCS#7) and adds them to DIR/ca.pem,
                then writes DIR/trust.p12 from it with the keystore password. Only CA certificates that are
                valid today are taken; a file holding a key, a CSR or an end-entity certificate is refused.
                Compare the printed SHA-256 fingerprints with the ones your PKI publishes.

                Every CA in trust.p12 is trusted to sign the box side's client certificate. To admit only
                certificates from one issuing CA, import just that one (it then acts as the trust anchor).

                Writes: DIR/ca.pem, DIR/trust.p12.
                Example:
                  b24bridge-certs import-ca --dir ~/b24bridge-pki --file corp-root.cer --file corp-issuing.pem""";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(DIR,
                Args.Option.list("file", "FILE", "a file with CA certificates (repeat for several)"),
                Args.Option.flag("replace", "make ca.pem hold only these CAs (drops earlier ones, e.g. after a"
                        + " CA change)"),
                PASSWORD_FILE);
    }

    @Override
    public int run(Args args, Context ctx) {
        WorkDir w = ctx.workDir(args);
        List<String> files = args.all("file");
        if (files.isEmpty()) {
            throw new Args.UsageException("--file is required: the CA certificate(s) to import");
        }
        Instant now = ctx.clock().instant();
        List<X509Certificate> incoming = new ArrayList<>();
        for (String f : files) {
            Path file = Path.of(f);
            for (X509Certificate c : Pem.readCertificates(file)) {
                requireUsableCa(file, c, now);
                if (!Chains.containsSame(incoming, c)) {
                    incoming.add(c);
                }
            }
        }
        List<X509Certificate> before = args.flag("replace") ? List.of() : TrustList.read(w.caPem());
        List<X509Certificate> all = new ArrayList<>(before);
        for (X509Certificate c : incoming) {
            if (!Chains.containsSame(all, c)) {
                all.add(c);
            }
        }
        Passwords passwords = ctx.passwords(args, w);
        try {
            char[] password = passwords.newStore();
            SecureFiles.ensureDir(w.dir());
            TrustList.write(w.caPem(), all);
            Stores.writeTrustStore(w.trustStore(), all, password);
        } finally {
            passwords.clear();
        }
        for (X509Certificate c : incoming) {
            boolean root = Chains.isSelfSigned(c);
            ctx.out().println((root ? "root         " : "intermediate ") + "'" + Names.subject(c) + "'");
            if (!root) {
                ctx.out().println("  issued by  '" + Names.issuer(c) + "'");
                boolean issuerKnown = all.stream().anyMatch(i -> i != c && Chains.signedBy(c, i));
                if (!issuerKnown) {
                    ctx.warn("the issuer of '" + Names.subject(c) + "' is not imported: this CA itself is the"
                            + " trust anchor (fine if intended)");
                }
            }
            ctx.out().println("  valid until " + c.getNotAfter().toInstant());
            ctx.out().println("  SHA-256    " + Fingerprints.sha256(c));
        }
        ctx.out().println((args.flag("replace") ? "replaced" : "updated") + " " + w.caPem() + ": "
                + all.size() + " trusted CA(s) (" + (all.size() - before.size()) + " new)");
        ctx.out().println("wrote " + w.trustStore());
        ctx.out().println("compare the SHA-256 fingerprints above with those your PKI team publishes");
        return CertsTool.OK;
    }

    private static void requireUsableCa(Path file, X509Certificate c, Instant now) {
        String who = "'" + Names.subject(c) + "' in " + file;
        boolean v1Root = c.getVersion() < 3 && Chains.isSelfSigned(c);
        if (c.getBasicConstraints() < 0 && !v1Root) {
            throw new CertsException(who + " is not a CA certificate (basicConstraints CA is not set):"
                    + " import-ca takes the CA chain, not an end-entity certificate");
        }
        boolean[] ku = c.getKeyUsage();
        if (ku != null && !ku[5]) {
            throw new CertsException(who + " may not sign certificates (key usage lacks keyCertSign)");
        }
        if (now.isAfter(c.getNotAfter().toInstant())) {
            throw new CertsException(who + " expired on " + c.getNotAfter().toInstant());
        }
        if (now.isBefore(c.getNotBefore().toInstant())) {
            throw new CertsException(who + " is not valid before " + c.getNotBefore().toInstant()
                    + " (check this machine's clock)");
        }
    }
}
