package io.b24bridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line: {@code b24bridge [COMMAND] [OPTIONS]}.
 *
 * @param command what to do
 * @param config  {@code --config FILE}
 * @param sandbox {@code --sandbox [DIR]}: start on embedded defaults from that folder
 * @param to      {@code --to DIR} (backup)
 * @param from    {@code --from DIR} (restore)
 */
record Cli(Command command, Optional<Path> config, Optional<Path> sandbox, Optional<Path> to, Optional<Path> from) {

    enum Command { RUN, CHECK_CONFIG, BACKUP, RESTORE, DOCTOR, VERSION, HELP }

    static final String USAGE = """
            usage: b24bridge [COMMAND] [OPTIONS]
              run --config FILE            start the appliance (the default command)
              run --sandbox [DIR]          start on embedded defaults: development certificates and a local
                                           database under DIR (default ./sandbox-data)
              check-config --config FILE   read and check the configuration, then exit
              backup --config FILE [--to DIR]
                                           online backup of the database (asks the running appliance, or
                                           opens the database itself when the appliance is stopped);
                                           default DIR: <storage.dir>/backups
              restore --config FILE --from DIR
                                           replace the database with a backup (the appliance must be stopped)
              doctor --config FILE         check configuration, certificates, the Bitrix24 box, disk and clock:
                                           one line per check (OK/WARN/FAIL); exit 1 when something FAILs
              version                      print the version
            Configuration keys may be overridden by environment variables B24BRIDGE_<KEY> (see docs/configuration.md).
            """;

    static Cli parse(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        Command command = Command.RUN;
        if (!rest.isEmpty() && !rest.getFirst().startsWith("-")) {
            command = switch (rest.removeFirst()) {
                case "run" -> Command.RUN;
                case "check-config" -> Command.CHECK_CONFIG;
                case "backup" -> Command.BACKUP;
                case "restore" -> Command.RESTORE;
                case "doctor" -> Command.DOCTOR;
                case "version" -> Command.VERSION;
                case "help" -> Command.HELP;
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
        }
        Path config = null;
        Path sandbox = null;
        Path to = null;
        Path from = null;
        while (!rest.isEmpty()) {
            String opt = rest.removeFirst();
            switch (opt) {
                case "--config" -> config = Path.of(value(rest, opt));
                case "--sandbox" -> sandbox = !rest.isEmpty() && !rest.getFirst().startsWith("-")
                        ? Path.of(rest.removeFirst()) : Path.of("sandbox-data");
                case "--to" -> to = Path.of(value(rest, opt));
                case "--from" -> from = Path.of(value(rest, opt));
                case "-h", "--help" -> command = Command.HELP;
                default -> throw new IllegalArgumentException("unknown option '" + opt + "'");
            }
        }
        if (command != Command.VERSION && command != Command.HELP) {
            if (config == null && sandbox == null) {
                throw new IllegalArgumentException("--config FILE is required (or --sandbox to try it out)");
            }
            if (config != null && sandbox != null) {
                throw new IllegalArgumentException("give --config or --sandbox, not both");
            }
        }
        if (command == Command.RESTORE && from == null) {
            throw new IllegalArgumentException("restore needs --from DIR (a backup folder)");
        }
        return new Cli(command, Optional.ofNullable(config), Optional.ofNullable(sandbox),
                Optional.ofNullable(to), Optional.ofNullable(from));
    }

    private static String value(List<String> rest, String opt) {
        if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return rest.removeFirst();
    }
}
