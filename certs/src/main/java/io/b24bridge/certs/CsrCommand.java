package io.b24bridge.certs;

import java.util.List;

/** {@code csr}: a key and a CSR for the corporate PKI. */
final class CsrCommand implements Command {

    @Override
    public String name() {
        return "csr";
    }

    @Override
    public String summary() {
        return "make a key + PKCS#10 CSR for the appliance's server or client certificate";
    }

    @Override
    public String description() {
        return """
                Makes a key pair and a certificate signing request for the corporate PKI. The key stays in DIR
                (encrypted with the keystore password, 0600); only the CSR leaves. The CSR asks for what the
                role needs: --role server → key usage digitalSignature (+keyEncipherment for RSA), extended
                key usage serverAuth, subjectAltName from --dns/--ip (the names the box and the admins use to
                reach the appliance); --role client → digitalSignature, clientAuth.

                Writes: DIR/NAME.key, DIR/NAME.csr (NAME: appliance-server or appliance-client).
                Example:
                  b24bridge-certs csr --dir ~/b24bridge-pki --role server --subject "CN=b24bridge.corp.example, O=Example" \\
                      --dns b24bridge.corp.example --ip 10.20.30.40
                  b24bridge-certs csr --dir ~/b24bridge-pki --role client --subject "CN=b24bridge appliance client, O=Example\"""";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(DIR,
                Args.Option.value("role", "server|client", "what the certificate is for (required)"),
                Args.Option.value("name", "NAME", "file base name (default appliance-server / appliance-client)"),
                Args.Option.value("subject", "DN", "the subject (default: CN=first --dns name, or"
                        + " \"CN=b24bridge appliance client\")"),
                Args.Option.list("dns", "NAME", "a DNS name for subjectAltName (repeat, or comma-separate)"),
                Args.Option.list("ip", "ADDRESS", "an IP address for subjectAltName (repeat, or comma-separate)"),
                Args.Option.value("key", "TYPE", "rsa3072, ec-p256 (default) or ec-p384"),
                PASSWORD_FILE, FORCE);
    }

    /** The subject when none is given: the server's first name, or a plain client name. */
    static String defaultSubject(Role role, SubjectAltNames names) {
        return role == Role.SERVER && !names.isEmpty() ? "CN=" + names.all().getFirst() : "CN=b24bridge appliance client";
    }

    @Override
    public int run(Args args, Context ctx) {
        WorkDir w = ctx.workDir(args);
        Role role = Role.parse(args.required("role", "server or client"));
        String name = args.value("name", role.defaultName());
        SubjectAltNames names = new SubjectAltNames(args.list("dns"), args.list("ip"));
        LeafSpec spec = new LeafSpec(role, args.value("subject", defaultSubject(role, names)), names,
                KeyType.parse(args.value("key", KeyType.EC_P256.optionName())));
        SecureFiles.requireAbsent(args.flag("force"), List.of(w.key(name), w.csr(name)));
        Passwords passwords = ctx.passwords(args, w);
        try {
            char[] password = passwords.newStore();
            KeyAndCsr made = Pki.csr(spec);
            SecureFiles.ensureDir(w.dir());
            SecureFiles.write(w.key(name), Pem.encryptedKey(made.key(), password), SecureFiles.SECRET);
            SecureFiles.write(w.csr(name), Pem.encode(made.csr()), SecureFiles.PUBLIC);
        } finally {
            passwords.clear();
        }
        ctx.out().println("wrote " + w.key(name) + " (0600, encrypted with the keystore password; it stays here)");
        ctx.out().println("wrote " + w.csr(name) + " — send this file to your PKI and ask for:");
        ctx.out().println("  subject             " + spec.subject());
        ctx.out().println("  key usage           digitalSignature"
                + (role == Role.SERVER && spec.keyType() == KeyType.RSA_3072 ? ", keyEncipherment" : "") + " (critical)");
        ctx.out().println("  extended key usage  " + role.purposeName() + " only");
        if (!names.isEmpty()) {
            ctx.out().println("  subjectAltName      " + names);
        }
        ctx.out().println("  basicConstraints    CA:FALSE");
        ctx.out().println("then put the certificate at " + w.certificate(name) + " (with the CA chain, PEM or DER)"
                + " and run: b24bridge-certs bundle --dir " + w.dir());
        SecureFiles.opennessOf(w.dir()).ifPresent(ctx::warn);
        return CertsTool.OK;
    }
}
