package io.b24bridge.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code bundle}: keys and signed certificates into the files the appliance reads. */
final class BundleCommand implements Command {

    @Override
    public String name() {
        return "bundle";
    }

    @Override
    public String summary() {
        return "key + signed certificate (+ chain) → appliance-server/-client.p12, trust.p12, store.pass, nginx/";
    }

    @Override
    public String description() {
        return """
                For each role whose key is in DIR (appliance-server.key, appliance-client.key) takes the signed
                certificate (DIR/NAME.crt, or --server-cert/--client-cert; a file with the chain is fine), checks
                that it belongs to the key, is valid, has the role's extended key usage (and, for the server,
                host names) and chains to a CA in ca.pem (intermediates from the certificate file, ca.pem or
                --chain), then writes:
                  appliance-server.p12, appliance-client.p12  key + chain, alias = the file's base name
                  trust.p12                                   the CAs of ca.pem
                  store.pass                                  the one password of all three (0600)
                  nginx/appliance-client-ca.pem               for the box's ssl_client_certificate
                  nginx/appliance-server-ca.pem               for the box's proxy_ssl_trusted_certificate
                and prints the configuration to paste into b24bridge.yaml and nginx.

                Example:
                  b24bridge-certs bundle --dir ~/b24bridge-pki --config-dir /etc/b24bridge/tls""";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(DIR,
                Args.Option.value("server-cert", "FILE", "the signed server certificate (default DIR/appliance-server.crt)"),
                Args.Option.value("client-cert", "FILE", "the signed client certificate (default DIR/appliance-client.crt)"),
                Args.Option.list("chain", "FILE", "intermediate CA certificates not in ca.pem (repeat for several)"),
                Args.Option.value("config-dir", "DIR", "where the appliance will read the files, for the printed"
                        + " configuration (default: DIR)"),
                PASSWORD_FILE, FORCE);
    }

    @Override
    public int run(Args args, Context ctx) {
        WorkDir w = ctx.workDir(args);
        List<X509Certificate> trusted = TrustList.read(w.caPem());
        if (trusted.isEmpty()) {
            throw new CertsException(w.caPem() + " holds no CA: run import-ca (corporate PKI) or init-ca first");
        }
        List<X509Certificate> extra = new ArrayList<>();
        for (String f : args.all("chain")) {
            extra.addAll(Pem.readCertificates(Path.of(f)));
        }
        Map<Role, Optional<Path>> certOptions = Map.of(Role.SERVER, ctx.path(args, "server-cert"),
                Role.CLIENT, ctx.path(args, "client-cert"));
        Verifier checks = new Verifier(ctx.clock().instant(), 30);
        Passwords passwords = ctx.passwords(args, w);
        try {
            char[] password = passwords.storeFromFile() ? passwords.store() : passwords.newStore();
            Map<Role, KeyAndChain> keys = new EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                String name = role.defaultName();
                Path keyFile = w.key(name);
                Optional<Path> given = certOptions.get(role);
                if (!Files.exists(keyFile)) {
                    if (given.isPresent()) {
                        throw new CertsException("there is no " + keyFile + " for " + given.get() + ": the key is made"
                                + " here by csr (or issue) and never comes from elsewhere");
                    }
                    ctx.out().println("no " + keyFile.getFileName() + ": " + role.optionName() + " keystore "
                            + (Files.exists(w.keyStore(name)) ? "left as it is" : "not made"));
                    continue;
                }
                Path certFile = given.orElse(w.certificate(name));
                if (!Files.exists(certFile)) {
                    throw new CertsException(keyFile + " has no certificate yet: put the signed certificate at "
                            + certFile + (given.isPresent() ? "" : " or give --" + role.optionName() + "-cert FILE"));
                }
                keys.put(role, assemble(role, keyFile, certFile, password, trusted, extra, checks, ctx));
            }
            if (keys.isEmpty()) {
                throw new CertsException("nothing to bundle: neither appliance-server.key nor appliance-client.key"
                        + " is in " + w.dir() + " (make them with csr, or issue)");
            }
            Bundle.Layout layout = Bundle.write(w.dir(), password, keys, trusted, args.flag("force"));
            for (Role r : keys.keySet()) {
                ctx.out().println("wrote " + layout.keyStore(r) + " (0600)");
            }
            ctx.out().println("wrote " + layout.trustStore() + " (0600): " + trusted.size() + " trusted CA(s)");
            ctx.out().println("wrote " + layout.passwordFile() + " (0600) unless it held this password already");
            for (Role r : keys.keySet()) {
                ctx.out().println("wrote " + layout.caPem(r) + " (public: for the box's nginx)");
            }
            Path configDir = ctx.path(args, "config-dir").orElse(w.dir());
            ctx.out().println();
            ctx.out().println("Install on the appliance (owner root, group b24bridge, the service reads them):");
            List<String> files = new ArrayList<>();
            keys.keySet().forEach(r -> files.add(layout.keyStore(r).getFileName().toString()));
            files.addAll(List.of("trust.p12", "store.pass", "ca.pem"));
            ctx.out().println("  cd " + w.dir() + " && install -m 0640 -o root -g b24bridge " + String.join(" ", files)
                    + " " + configDir + "/");
            ctx.out().println();
            ctx.out().print(Snippets.applianceConfig(configDir, keys.containsKey(Role.SERVER),
                    keys.containsKey(Role.CLIENT)));
            ctx.out().println();
            ctx.out().print(Snippets.nginx(Optional.ofNullable(keys.get(Role.SERVER)).map(KeyAndChain::certificate),
                    Optional.ofNullable(keys.get(Role.CLIENT)).map(KeyAndChain::certificate)));
            return CertsTool.OK;
        } finally {
            passwords.clear();
        }
    }

    private static KeyAndChain assemble(Role role, Path keyFile, Path certFile, char[] password,
                                        List<X509Certificate> trusted, List<X509Certificate> extra, Verifier checks,
                                        Context ctx) {
        PrivateKey key = Pem.readKey(keyFile, password);
        List<X509Certificate> inFile = Pem.readCertificates(certFile);
        X509Certificate leaf = null;
        for (X509Certificate c : inFile) {
            if (Keys.matches(key, c.getPublicKey())) {
                leaf = c;
                break;
            }
        }
        if (leaf == null) {
            throw new CertsException("no certificate in " + certFile + " belongs to the key " + keyFile
                    + " (was it signed from another CSR?)");
        }
        List<String> problems = new ArrayList<>();
        for (Finding f : checks.certificate(certFile.getFileName().toString(), leaf, role)) {
            if (f.status() == Finding.Status.FAIL) {
                problems.add(f.message());
            } else if (f.status() == Finding.Status.WARN) {
                ctx.warn(f.message());
            }
        }
        if (!problems.isEmpty()) {
            throw new CertsException("the " + role.optionName() + " certificate cannot be used: "
                    + String.join("; ", problems));
        }
        List<X509Certificate> pool = new ArrayList<>(inFile);
        pool.remove(leaf);
        pool.addAll(extra);
        pool.addAll(trusted);
        Chains.Chain chain = Chains.build(leaf, pool, trusted);
        if (chain.anchor().isEmpty()) {
            throw new CertsException("the " + role.optionName() + " certificate '" + Names.subject(leaf)
                    + "' does not chain to a CA in ca.pem: the chain ends at '" + Names.subject(chain.top())
                    + "', issued by '" + Names.issuer(chain.top()) + "'. Import that CA (import-ca) or give the"
                    + " missing intermediate (--chain FILE)");
        }
        Chains.validate(chain, ctx.clock().instant()).ifPresent(p -> {
            throw new CertsException("the " + role.optionName() + " certificate's chain is refused: " + p);
        });
        return new KeyAndChain(key, chain.toSend());
    }
}
