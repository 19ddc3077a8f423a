package io.b24bridge.certs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code expiry}: every certificate with the days it has left; for people and for monitoring. */
final class ExpiryCommand implements Command {

    @Override
    public String name() {
        return "expiry";
    }

    @Override
    public String summary() {
        return "report every certificate in folders/keystores with days left; non-zero exit under --days";
    }

    @Override
    public String description() {
        return """
                Lists every certificate in DIR (and one folder level below) or the given --path files/folders:
                .pem/.crt/.cer/.der files and .p12/.pfx keystores (opened with the keystore password), each
                certificate once, soonest end first, with days left and status ok/expiring/expired.
                Exit status: 0 all have --days or more left; 1 something expires within --days (or has);
                2 something could not be read (the report says what).
                --json prints the same as one JSON object, for monitoring.

                Example (cron, daily):
                  b24bridge-certs expiry --dir /etc/b24bridge/tls --password-file /etc/b24bridge/tls/store.pass \\
                      --days 45 --json""";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(DIR,
                Args.Option.list("path", "FILE|DIR", "look here instead of DIR (repeat for several)"),
                Args.Option.value("days", "N", "warn when fewer days are left (default 30)"),
                Args.Option.flag("json", "machine-readable output"),
                PASSWORD_FILE);
    }

    @Override
    public int run(Args args, Context ctx) {
        WorkDir w = ctx.workDir(args);
        List<Path> roots = new ArrayList<>();
        for (String p : args.all("path")) {
            roots.add(Path.of(p).toAbsolutePath().normalize());
        }
        if (roots.isEmpty()) {
            roots.add(w.dir());
        }
        int threshold = args.integer("days", 30, 0, 36500);
        Passwords passwords = ctx.passwords(args, w);
        ExpiryReport.Result r;
        try {
            r = ExpiryReport.scan(roots, passwords::store, ctx.clock().instant(), threshold);
        } finally {
            passwords.clear();
        }
        if (args.flag("json")) {
            ctx.out().println(json(r));
        } else {
            text(r, ctx);
        }
        if (r.expiring() > 0) {
            return CertsTool.CHECK_FAILED;
        }
        return r.problems().isEmpty() ? CertsTool.OK : CertsTool.ERROR;
    }

    private static void text(ExpiryReport.Result r, Context ctx) {
        ctx.out().printf("%6s  %-13s  %-20s  %s%n", "DAYS", "STATUS", "NOT AFTER", "SUBJECT / WHERE");
        for (ExpiryReport.Entry e : r.entries()) {
            ctx.out().printf("%6d  %-13s  %-20s  %s%n", e.daysLeft(), e.status(), e.notAfter(), e.subject());
            for (String where : e.locations()) {
                ctx.out().printf("%6s  %-13s  %-20s    %s%n", "", "", "", where);
            }
        }
        for (ExpiryReport.Problem p : r.problems()) {
            ctx.out().println("PROBLEM " + p.file() + ": " + p.message());
        }
        ctx.out().println(r.entries().size() + " certificate(s); " + r.expiring() + " with fewer than "
                + r.thresholdDays() + " days left" + (r.problems().isEmpty() ? "" : "; " + r.problems().size()
                + " file(s) could not be read"));
    }

    static String json(ExpiryReport.Result r) {
        String certs = r.entries().stream().map(e -> "{"
                + "\"subject\":" + Json.string(e.subject())
                + ",\"issuer\":" + Json.string(Names.issuer(e.certificate()))
                + ",\"serial\":" + Json.string(Fingerprints.serial(e.certificate()))
                + ",\"sha256\":" + Json.string(Fingerprints.sha256(e.certificate()))
                + ",\"notBefore\":" + Json.string(e.certificate().getNotBefore().toInstant().toString())
                + ",\"notAfter\":" + Json.string(e.notAfter().toString())
                + ",\"daysLeft\":" + e.daysLeft()
                + ",\"status\":" + Json.string(e.status())
                + ",\"locations\":[" + e.locations().stream().map(Json::string).collect(Collectors.joining(","))
                + "]}").collect(Collectors.joining(","));
        String problems = r.problems().stream().map(p -> "{\"file\":" + Json.string(p.file().toString())
                + ",\"problem\":" + Json.string(p.message()) + "}").collect(Collectors.joining(","));
        return "{\"checkedAt\":" + Json.string(r.checkedAt().toString())
                + ",\"thresholdDays\":" + r.thresholdDays()
                + ",\"expiring\":" + r.expiring()
                + ",\"certificates\":[" + certs + "]"
                + ",\"problems\":[" + problems + "]}";
    }
}
