package io.b24bridge;

import java.nio.file.Path;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line, {@code b24bridge [COMMAND] [OPTIONS]}, as picocli reads it (the same parser and the same
 * kind of help as {@code b24bridge-certs} and the installer's tool).
 *
 * @param command what to do
 * @param config  {@code --config FILE}
 * @param sandbox {@code --sandbox [DIR]}: start on embedded defaults from that folder
 * @param to      {@code --to DIR} (backup)
 * @param from    {@code --from DIR} (restore)
 * @param helpFor {@code help COMMAND}: the command whose help is asked for
 * @param admin   {@code admin create|password}: what to do to which account
 */
record Cli(Cli.Name command, Optional<Path> config, Optional<Path> sandbox, Optional<Path> to, Optional<Path> from,
           Optional<String> helpFor, Optional<AdminArgs> admin) {

    enum Name { RUN, CHECK_CONFIG, BACKUP, RESTORE, DOCTOR, ADMIN, VERSION, HELP }

    Cli(Name command, Optional<Path> config, Optional<Path> sandbox, Optional<Path> to, Optional<Path> from,
        Optional<String> helpFor) {
        this(command, config, sandbox, to, from, helpFor, Optional.empty());
    }

    /**
     * {@code b24bridge admin create|password --name NAME [--role admin|viewer] [--password-file FILE]}.
     *
     * @param create       true: make the account; false: set its password
     * @param passwordFile where the password is (its first line; {@code -} = standard input); empty: asked twice on
     *                     the terminal
     */
    record AdminArgs(boolean create, String name, String role, Optional<Path> passwordFile) {
    }

    /** Where the configuration comes from: a file, or the sandbox's embedded defaults. */
    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "the configuration file (YAML)")
        Path config;

        @Option(names = "--sandbox", paramLabel = "DIR", arity = "0..1", fallbackValue = "sandbox-data",
                description = "embedded defaults: development certificates and a local database under DIR "
                        + "(default: sandbox-data in the current folder)")
        Path sandbox;
    }

    @Command(name = "b24bridge", synopsisSubcommandLabel = "[COMMAND]",
            description = "Joins an Asterisk PBX to an on-premise Bitrix24 box. Without a command: run.",
            footer = {"", "Configuration keys may be overridden by environment variables B24BRIDGE_<KEY> "
                    + "(see docs/configuration.md)."},
            subcommands = {Run.class, CheckConfig.class, Backup.class, Restore.class, Doctor.class, Admin.class,
                    Version.class, Help.class})
    static final class Top {
        @Mixin
        Source source;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "run", description = "start the appliance (the default command)")
    static final class Run {
        @Mixin
        Source source;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "check-config", description = "read and check the configuration, then exit")
    static final class CheckConfig {
        @Mixin
        Source source;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "backup", description = "online backup of the database (asks the running appliance, or opens "
            + "the database itself when the appliance is stopped)")
    static final class Backup {
        @Mixin
        Source source;

        @Option(names = "--to", paramLabel = "DIR", description = "where the backup goes (default: "
                + "<storage.dir>/backups)")
        Path to;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "restore", description = "replace the database with a backup (the appliance must be stopped)")
    static final class Restore {
        @Mixin
        Source source;

        @Option(names = "--from", paramLabel = "DIR", required = true, description = "a backup folder (the one "
                + "backup printed)")
        Path from;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "doctor", description = "check the configuration, certificates, the Bitrix24 box, disk and clock: "
            + "one line per check (OK/WARN/FAIL); exit 1 when something FAILs")
    static final class Doctor {
        @Mixin
        Source source;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "admin", description = "accounts of the admin listener: admin create (the first administrator, "
            + "or any account), admin password (a new password, e.g. a forgotten one); on the appliance's machine, as "
            + "root or the service's user", subcommands = {AdminCreate.class, AdminPassword.class})
    static final class Admin {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    /** What admin's commands share. */
    static final class Account {
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "the account")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from the first "
                + "line of FILE (- = standard input) instead of asking twice on the terminal")
        Path passwordFile;
    }

    @Command(name = "create", description = "make an account (asks the running appliance, or opens the database when "
            + "it is stopped)")
    static final class AdminCreate {
        @Mixin
        Source source;

        @Mixin
        Account account;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin", description = "admin (changes) or "
                + "viewer (reads); default: admin")
        String role;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "password", description = "set an account's password (its sessions end)")
    static final class AdminPassword {
        @Mixin
        Source source;

        @Mixin
        Account account;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "version", description = "print the version")
    static final class Version {
    }

    @Command(name = "help", description = "this help, or a command's (help COMMAND)")
    static final class Help {
        @Parameters(arity = "0..1", paramLabel = "COMMAND")
        String command;
    }

    /** Reads a command line; a wrong one is an {@link IllegalArgumentException} saying what is wrong. */
    static Cli parse(String... args) {
        ParseResult top;
        try {
            top = commandLine().parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ParseResult leaf = top;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        // "admin create" for a command under another: its help is found by the whole path
        String name = leaf == top ? "run" : leaf.commandSpec().qualifiedName(" ").substring("b24bridge ".length());
        if (top.isUsageHelpRequested() || leaf.isUsageHelpRequested()) {
            return help(leaf == top ? null : name);
        }
        Object command = leaf.commandSpec().userObject();
        return switch (command) {
            case Help h -> {
                if (h.command != null && !commandLine().getSubcommands().containsKey(h.command)) {
                    throw new IllegalArgumentException("unknown command '" + h.command + "'");
                }
                yield help(h.command);
            }
            case Version v -> new Cli(Name.VERSION, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            case Top t -> withSource(Name.RUN, t.source, null, null);
            case Run r -> withSource(Name.RUN, r.source, null, null);
            case CheckConfig c -> withSource(Name.CHECK_CONFIG, c.source, null, null);
            case Backup b -> withSource(Name.BACKUP, b.source, b.to, null);
            case Restore r -> withSource(Name.RESTORE, r.source, null, r.from);
            case Doctor d -> withSource(Name.DOCTOR, d.source, null, null);
            case AdminCreate a -> admin(a.source, new AdminArgs(true, a.account.name, a.role,
                    Optional.ofNullable(a.account.passwordFile)));
            case AdminPassword a -> admin(a.source, new AdminArgs(false, a.account.name, null,
                    Optional.ofNullable(a.account.passwordFile)));
            case Admin a -> throw new IllegalArgumentException("admin needs a command: create or password");
            default -> throw new IllegalStateException("no such command: " + name);
        };
    }

    private static Cli admin(Source source, AdminArgs args) {
        if (args.role() != null && !args.role().equals("admin") && !args.role().equals("viewer")) {
            throw new IllegalArgumentException("--role must be admin or viewer");
        }
        Cli c = withSource(Name.ADMIN, source, null, null);
        return new Cli(Name.ADMIN, c.config(), c.sandbox(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(args));
    }

    private static Cli help(String command) {
        return new Cli(Name.HELP, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.ofNullable(command));
    }

    private static Cli withSource(Name command, Source source, Path to, Path from) {
        if (source.config == null && source.sandbox == null) {
            throw new IllegalArgumentException("--config FILE is required (or --sandbox to try it out)");
        }
        if (source.config != null && source.sandbox != null) {
            throw new IllegalArgumentException("give --config or --sandbox, not both");
        }
        return new Cli(command, Optional.ofNullable(source.config), Optional.ofNullable(source.sandbox),
                Optional.ofNullable(to), Optional.ofNullable(from), Optional.empty());
    }

    /** The help: of the whole tool, or of one command. */
    static String usage(Optional<String> command) {
        CommandLine cl = commandLine();
        CommandLine target = cl;
        for (String part : command.map(c -> c.split(" ")).orElse(new String[0])) {
            target = target.getSubcommands().get(part);
        }
        return target.getUsageMessage();
    }

    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Top()).setUsageHelpWidth(110);
        cl.getCommandSpec().usageMessage().sortOptions(false).sortSynopsis(false);
        cl.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().sortOptions(false)
                .sortSynopsis(false));
        return cl;
    }
}
