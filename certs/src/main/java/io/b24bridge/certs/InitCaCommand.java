package io.b24bridge.certs;

import java.util.List;

/** {@code init-ca}: a private CA for labs and small sites. */
final class InitCaCommand implements Command {

    static final String DEFAULT_SUBJECT = "CN=b24bridge local CA";

    @Override
    public String name() {
        return "init-ca";
    }

    @Override
    public String summary() {
        return "make a private CA (labs, small sites): key + self-signed certificate";
    }

    @Override
    public String description() {
        return """
                Makes a CA key and its self-signed certificate (basicConstraints CA with path length 0 or 1,
                key usage keyCertSign + cRLSign) in the CA folder, and adds the certificate to DIR/ca.pem, the
                list of trusted CAs. The key is encrypted with the CA password (asked, or --ca-password-file)
                and written 0600. Use it when there is no corporate PKI; otherwise see csr and import-ca.

                Writes: CA-DIR/ca.key, CA-DIR/ca.crt; adds to DIR/ca.pem.
                Example:
                  b24bridge-certs init-ca --dir ~/b24bridge-pki --subject "CN=Example b24bridge CA, O=Example" \\
                      --days 3650 --key ec-p384""";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(DIR, CA_DIR,
                Args.Option.value("subject", "DN", "the CA's name (default \"" + DEFAULT_SUBJECT + "\")"),
                Args.Option.value("days", "N", "lifetime in days (default 3650)"),
                Args.Option.value("key", "TYPE", "rsa3072, ec-p256 (default) or ec-p384"),
                Args.Option.value("path-len", "0|1", "intermediate CAs allowed below it (default 0)"),
                CA_PASSWORD_FILE, FORCE);
    }

    @Override
    public int run(Args args, Context ctx) {
        WorkDir w = ctx.workDir(args);
        CaDir caDir = ctx.caDir(args, w);
        SecureFiles.requireAbsent(args.flag("force"), List.of(caDir.key(), caDir.certificate()));
        CaSpec spec = new CaSpec(args.value("subject", DEFAULT_SUBJECT),
                KeyType.parse(args.value("key", KeyType.EC_P256.optionName())),
                Validity.days(args.integer("days", 3650, 1, 36500), ctx.clock().instant()),
                args.integer("path-len", 0, 0, 1));
        Passwords passwords = ctx.passwords(args, w);
        try {
            char[] password = passwords.newCa();
            LocalCa ca = Pki.initCa(spec);
            SecureFiles.ensureDir(w.dir());
            caDir.save(ca, password);
            List<java.security.cert.X509Certificate> old = TrustList.read(w.caPem());
            TrustList.add(w.caPem(), List.of(ca.certificate()));
            var c = ca.certificate();
            ctx.out().println("local CA made: '" + Names.subject(c) + "'");
            ctx.out().println("  key       " + Keys.describe(c.getPublicKey()) + ", path length " + spec.pathLength());
            ctx.out().println("  valid     " + c.getNotBefore().toInstant() + " .. " + c.getNotAfter().toInstant());
            ctx.out().println("  SHA-256   " + Fingerprints.sha256(c));
            ctx.out().println("wrote " + caDir.key() + " (0600, encrypted with the CA password)");
            ctx.out().println("wrote " + caDir.certificate());
            ctx.out().println("added to " + w.caPem() + " (the trusted CAs; bundle and import-ca turn it into trust.p12)");
            if (!old.isEmpty()) {
                ctx.warn(w.caPem() + " still trusts " + old.size() + " earlier CA(s); once everything is"
                        + " re-issued, drop them: import-ca --replace --file " + caDir.certificate());
            }
            ctx.out().println("next: issue --role server --dns NAME (key + certificate at once), or csr + issue --csr");
            SecureFiles.opennessOf(caDir.dir()).ifPresent(ctx::warn);
            return CertsTool.OK;
        } finally {
            passwords.clear();
        }
    }
}
