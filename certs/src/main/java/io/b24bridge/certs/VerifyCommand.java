package io.b24bridge.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code verify}: would the keystores work, today, with this trust store and these host names? */
final class VerifyCommand implements Command {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "check keystores: chain to the trust store, key matches, usage fits the role, host names, dates";
    }

    @Override
    public String description() {
        return """
                Checks DIR/appliance-server.p12 (as a server) and DIR/appliance-client.p12 (as a client), or the
                one --keystore with its --role, against DIR/trust.p12 (or --truststore):
                  the keystore opens; the key matches the certificate; it is valid now (a warning under --days);
                  the extended key usage fits the role; key usage allows TLS; a server certificate covers each
                  --host; the chain in the keystore reaches a CA in the trust store (as the peer will build it).
                One PASS/WARN/FAIL line per check. Exit status 0 when nothing failed, 1 when something did.

                Example:
                  b24bridge-certs verify --dir /etc/b24bridge/tls --host b24bridge.corp.example --host 10.20.30.40""";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(DIR,
                Args.Option.value("keystore", "FILE", "check only this keystore (needs --role)"),
                Args.Option.value("role", "server|client", "the role of --keystore"),
                Args.Option.value("key-alias", "ALIAS", "the key in --keystore, if it holds several"),
                Args.Option.value("truststore", "FILE", "the trust store (default DIR/trust.p12)"),
                Args.Option.list("host", "NAME", "a host name or address the server certificate must cover (repeat)"),
                Args.Option.value("days", "N", "warn when fewer days are left (default 30)"),
                PASSWORD_FILE);
    }

    @Override
    public int run(Args args, Context ctx) {
        WorkDir w = ctx.workDir(args);
        Map<Path, Role> targets = new LinkedHashMap<>();
        if (args.value("keystore").isPresent()) {
            targets.put(ctx.path(args, "keystore").orElseThrow(),
                    Role.parse(args.required("role", "server or client: what --keystore is for")));
        } else {
            if (args.value("role").isPresent() || args.value("key-alias").isPresent()) {
                throw new Args.UsageException("--role and --key-alias go with --keystore");
            }
            for (Role r : Role.values()) {
                if (Files.exists(w.keyStore(r.defaultName()))) {
                    targets.put(w.keyStore(r.defaultName()), r);
                }
            }
        }
        Path trustStore = ctx.path(args, "truststore").orElse(w.trustStore());
        Verifier verifier = new Verifier(ctx.clock().instant(), args.integer("days", 30, 0, 3650));
        List<Finding> findings = new ArrayList<>();
        Passwords passwords = ctx.passwords(args, w);
        try {
            char[] password = passwords.store();
            List<X509Certificate> anchors = new ArrayList<>();
            findings.addAll(verifier.trustStore(trustStore, password, anchors));
            if (args.value("truststore").isEmpty() && Files.exists(w.caPem()) && !anchors.isEmpty()) {
                for (X509Certificate c : TrustList.read(w.caPem())) {
                    if (!Chains.containsSame(anchors, c)) {
                        findings.add(Finding.warn("ca.pem lists '" + Names.subject(c) + "', which trust.p12 lacks:"
                                + " run bundle (or import-ca) to bring trust.p12 up to date"));
                    }
                }
            }
            if (targets.isEmpty()) {
                findings.add(Finding.fail("no keystore to check: neither appliance-server.p12 nor"
                        + " appliance-client.p12 is in " + w.dir() + " (or give --keystore and --role)"));
            }
            for (Map.Entry<Path, Role> t : targets.entrySet()) {
                findings.addAll(verifier.keyStore(t.getKey(), password, args.value("key-alias"), t.getValue(),
                        anchors, args.list("host")));
            }
        } finally {
            passwords.clear();
        }
        int failed = 0;
        int warned = 0;
        for (Finding f : findings) {
            ctx.out().println(f);
            failed += f.status() == Finding.Status.FAIL ? 1 : 0;
            warned += f.status() == Finding.Status.WARN ? 1 : 0;
        }
        ctx.out().println((failed == 0 ? "verify: OK" : "verify: FAILED") + " (" + (findings.size() - failed - warned)
                + " passed, " + warned + " warning(s), " + failed + " failed)");
        return failed == 0 ? CertsTool.OK : CertsTool.CHECK_FAILED;
    }
}
