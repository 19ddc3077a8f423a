package io.b24bridge.certs;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code b24bridge-certs COMMAND [OPTIONS]}: the security team's tool for the appliance's certificates. See
 * {@code docs/security-team.md}; {@code b24bridge-certs help COMMAND} for each command.
 *
 * <p>Exit status: 0 done; 1 a check found a problem ({@code verify}, {@code expiry}); 2 bad input (a missing
 * file, a wrong password, a refused request — the message says which); 3 a fault of the tool itself.
 */
public final class CertsTool {

    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int ERROR = 2;
    public static final int INTERNAL = 3;

    private static final Logger LOG = Logger.getLogger(CertsTool.class.getName());

    private final Context ctx;
    private final List<Command> commands = List.of(new InitCaCommand(), new ImportCaCommand(), new CsrCommand(),
            new IssueCommand(), new BundleCommand(), new VerifyCommand(), new ExpiryCommand());

    public CertsTool(PrintStream out, PrintStream err, PasswordPrompt prompt, Clock clock) {
        this.ctx = new Context(out, err, prompt, clock);
    }

    public static void main(String[] args) {
        int status = new CertsTool(System.out, System.err, PasswordPrompt.console(), Clock.systemUTC()).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line; returns the exit status. Never exits the JVM (tests call it). */
    public int run(String... args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            if (args.length > 1) {
                return find(args[1]).map(c -> {
                    ctx.out().print(help(c));
                    return OK;
                }).orElseGet(() -> unknown(args[1]));
            }
            ctx.out().print(overview());
            return args.length == 0 ? ERROR : OK;
        }
        Optional<Command> command = find(args[0]);
        if (command.isEmpty()) {
            return unknown(args[0]);
        }
        Command c = command.get();
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            ctx.out().print(help(c));
            return OK;
        }
        try {
            Args parsed = Args.parse(rest, c.options());
            return c.run(parsed, ctx);
        } catch (Args.UsageException e) {
            ctx.err().println("b24bridge-certs " + c.name() + ": " + e.getMessage());
            ctx.err().println("see: b24bridge-certs help " + c.name());
            return ERROR;
        } catch (CertsException e) {
            ctx.err().println("b24bridge-certs " + c.name() + ": " + e.getMessage());
            return ERROR;
        } catch (RuntimeException e) {
            // a fault of ours: say so plainly; the stack goes to the log (never any secret: none is in messages)
            LOG.log(Level.FINE, "b24bridge-certs " + c.name() + " failed", e);
            ctx.err().println("b24bridge-certs " + c.name() + ": unexpected error: " + e);
            return INTERNAL;
        }
    }

    private Optional<Command> find(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private int unknown(String name) {
        ctx.err().println("b24bridge-certs: unknown command '" + name + "'");
        ctx.err().print(overview());
        return ERROR;
    }

    private String overview() {
        CommandLine top = new CommandLine(Args.spec("b24bridge-certs", List.of("The security team's tool for the "
                + "appliance's certificates (docs/security-team.md)."), List.of()));
        top.getCommandSpec().usageMessage().customSynopsis("b24bridge-certs COMMAND [OPTIONS]    "
                + "(b24bridge-certs help COMMAND for details)").footer("", "Passwords never go on the command line: "
                + "give --password-file FILE (first line) or answer the", "prompt. The keystore password defaults "
                + "to DIR/store.pass when it exists.", "Exit status: 0 done, 1 a check failed (verify, expiry), 2 bad "
                + "input, 3 internal error.");
        for (Command c : commands) {
            CommandSpec sub = Args.spec(c.name(), List.of(), List.of());
            sub.usageMessage().header(c.summary());
            top.addSubcommand(c.name(), new CommandLine(sub));
        }
        return top.getUsageMessage();
    }

    private static String help(Command c) {
        CommandSpec spec = Args.spec(c.name(), c.description().lines().toList(), c.options());
        spec.usageMessage().customSynopsis("b24bridge-certs " + c.name() + " [OPTIONS]");
        return new CommandLine(spec).getUsageMessage();
    }
}
