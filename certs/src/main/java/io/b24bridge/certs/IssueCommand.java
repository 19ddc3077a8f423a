package io.b24bridge.certs;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** {@code issue}: the local CA signs a CSR, or makes a key and certificate at once. */
final class IssueCommand implements Command {

    static final int DEFAULT_DAYS = 397;

    @Override
    public String name() {
        return "issue";
    }

    @Override
    public String summary() {
        return "the local CA signs a CSR (--csr) or makes a key + certificate directly";
    }

    @Override
    public String description() {
        return """
                With --csr FILE: the local CA checks the CSR (its signature; no CA request; an extended key
                usage, if asked for, that fits --role) and signs it: key usage digitalSignature (+keyEncipherment
                for an RSA server), extended key usage of the role only, the CSR's subjectAltName plus
                --dns/--ip, subject and authority key identifiers, basicConstraints CA:FALSE. A CSR asking for
                another usage than --role is refused.
                Without --csr: makes the key too (encrypted with the keystore password, 0600) — for the
                appliance's own keys, or in a lab for the box side (then move that key to the box, or better,
                make it there: openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 ...).

                Writes: with --csr, --out (default DIR/<CSR name>.crt); without, DIR/NAME.key and DIR/NAME.crt.
                Appends each certificate to CA-DIR/issued.txt.
                Examples:
                  b24bridge-certs issue --dir ~/b24bridge-pki --role server --csr ~/b24bridge-pki/appliance-server.csr
                  b24bridge-certs issue --dir ~/b24bridge-pki --role client --name box-client \\
                      --subject "CN=bitrix24 box nginx, O=Example\"""";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(DIR, CA_DIR,
                Args.Option.value("role", "server|client", "what the certificate is for (required)"),
                Args.Option.value("csr", "FILE", "the CSR to sign (PEM or DER)"),
                Args.Option.value("out", "FILE", "where the certificate goes (with --csr)"),
                Args.Option.value("name", "NAME", "file base name when the key is made here (default"
                        + " appliance-server / appliance-client)"),
                Args.Option.value("subject", "DN", "the subject (with --csr: replaces the requested one)"),
                Args.Option.list("dns", "NAME", "a DNS name for subjectAltName (added to the CSR's)"),
                Args.Option.list("ip", "ADDRESS", "an IP address for subjectAltName (added to the CSR's)"),
                Args.Option.value("days", "N", "lifetime in days (default " + DEFAULT_DAYS + ")"),
                Args.Option.value("key", "TYPE", "when the key is made here: rsa3072, ec-p256 (default), ec-p384"),
                CA_PASSWORD_FILE, PASSWORD_FILE, FORCE);
    }

    @Override
    public int run(Args args, Context ctx) {
        WorkDir w = ctx.workDir(args);
        CaDir caDir = ctx.caDir(args, w);
        Role role = Role.parse(args.required("role", "server or client"));
        SubjectAltNames names = new SubjectAltNames(args.list("dns"), args.list("ip"));
        Validity validity = Validity.days(args.integer("days", DEFAULT_DAYS, 1, 3650), ctx.clock().instant());
        Passwords passwords = ctx.passwords(args, w);
        try {
            Optional<Path> csrFile = ctx.path(args, "csr");
            X509Certificate cert;
            if (csrFile.isPresent()) {
                if (args.value("key").isPresent() || args.value("name").isPresent()) {
                    throw new Args.UsageException("--key and --name are for a key made here; with --csr the key"
                            + " is the requester's");
                }
                Path out = ctx.path(args, "out").orElse(w.dir().resolve(baseName(csrFile.get()) + ".crt"));
                SecureFiles.requireAbsent(args.flag("force"), List.of(out));
                var csr = Pem.readCsr(csrFile.get());
                LocalCa ca = caDir.load(passwords.ca());
                cert = Pki.sign(ca, csr, new SignOptions(role, args.value("subject"), names, validity));
                SecureFiles.write(out, Pem.encode(cert), SecureFiles.PUBLIC);
                ctx.out().println("signed " + csrFile.get() + " → " + out);
            } else {
                if (args.value("out").isPresent()) {
                    throw new Args.UsageException("--out is for --csr; without it the files are DIR/NAME.key and .crt");
                }
                String name = args.value("name", role.defaultName());
                LeafSpec spec = new LeafSpec(role, args.value("subject", CsrCommand.defaultSubject(role, names)),
                        names, KeyType.parse(args.value("key", KeyType.EC_P256.optionName())));
                SecureFiles.requireAbsent(args.flag("force"), List.of(w.key(name), w.certificate(name)));
                LocalCa ca = caDir.load(passwords.ca());
                char[] password = passwords.newStore();
                KeyAndChain made = Pki.issue(ca, spec, validity);
                cert = made.certificate();
                SecureFiles.ensureDir(w.dir());
                SecureFiles.write(w.key(name), Pem.encryptedKey(made.key(), password), SecureFiles.SECRET);
                SecureFiles.write(w.certificate(name), Pem.encode(cert), SecureFiles.PUBLIC);
                ctx.out().println("wrote " + w.key(name) + " (0600, encrypted with the keystore password)");
                ctx.out().println("wrote " + w.certificate(name));
                if (!name.startsWith("appliance-")) {
                    ctx.warn(name + ".key belongs on another machine: carry it there yourself (never by mail) with"
                            + " " + name + ".crt and the CA (ca.pem), then delete it here. Better: make the key"
                            + " there and sign its CSR with --csr");
                }
            }
            caDir.logIssued(cert);
            describe(ctx, cert);
            return CertsTool.OK;
        } finally {
            passwords.clear();
        }
    }

    static void describe(Context ctx, X509Certificate c) {
        ctx.out().println("  subject     " + Names.subject(c));
        ctx.out().println("  issuer      " + Names.issuer(c));
        ctx.out().println("  names       " + SubjectAltNames.of(c));
        try {
            ctx.out().println("  usage       " + (c.getExtendedKeyUsage() == null ? "(any)"
                    : c.getExtendedKeyUsage().stream().map(IssueCommand::purpose).toList()));
        } catch (java.security.cert.CertificateParsingException e) {
            ctx.out().println("  usage       (unreadable)");
        }
        ctx.out().println("  key         " + Keys.describe(c.getPublicKey()));
        ctx.out().println("  serial      " + Fingerprints.serial(c));
        ctx.out().println("  valid       " + c.getNotBefore().toInstant() + " .. " + c.getNotAfter().toInstant());
        ctx.out().println("  SHA-256     " + Fingerprints.sha256(c));
    }

    private static String purpose(String oid) {
        return switch (oid) {
            case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
            case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
            default -> oid;
        };
    }

    private static String baseName(Path csr) {
        String n = csr.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
