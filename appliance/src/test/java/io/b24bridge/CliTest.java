package io.b24bridge;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The appliance's command line as operators, the installer's scripts and the systemd unit type it. */
class CliTest {

    @Test
    void theCommandsAndOptionsTheScriptsUse() {
        Cli run = Cli.parse("run", "--config", "/etc/b24bridge/b24bridge.yaml");
        assertEquals(Cli.Name.RUN, run.command());
        assertEquals(Optional.of(Path.of("/etc/b24bridge/b24bridge.yaml")), run.config());
        assertEquals(Cli.Name.RUN, Cli.parse("--config", "x.yaml").command(), "run is the default command");
        assertEquals(Optional.of(Path.of("sandbox-data")), Cli.parse("run", "--sandbox").sandbox());
        assertEquals(Optional.of(Path.of("/tmp/s")), Cli.parse("check-config", "--sandbox", "/tmp/s").sandbox());
        Cli backup = Cli.parse("backup", "--config", "c.yaml", "--to", "/srv/backups");
        assertEquals(Cli.Name.BACKUP, backup.command());
        assertEquals(Optional.of(Path.of("/srv/backups")), backup.to());
        assertEquals(Optional.of(Path.of("/srv/b1")), Cli.parse("restore", "--config", "c.yaml", "--from", "/srv/b1")
                .from());
        assertEquals(Cli.Name.DOCTOR, Cli.parse("doctor", "--config", "c.yaml").command());
        assertEquals(Cli.Name.VERSION, Cli.parse("version").command());
        assertEquals(Cli.Name.HELP, Cli.parse("help").command());
        assertEquals(Optional.of("backup"), Cli.parse("help", "backup").helpFor());
        assertEquals(Optional.of("doctor"), Cli.parse("doctor", "--help").helpFor());
        assertEquals(Cli.Name.HELP, Cli.parse("-h").command());
    }

    @Test
    void aWrongCommandLineSaysWhatIsWrong() {
        assertEquals("--config FILE is required (or --sandbox to try it out)",
                assertThrows(IllegalArgumentException.class, () -> Cli.parse("run")).getMessage());
        assertEquals("give --config or --sandbox, not both",
                assertThrows(IllegalArgumentException.class, () -> Cli.parse("--config", "c", "--sandbox")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cli.parse("restore", "--config", "c"))
                .getMessage().contains("--from"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cli.parse("backup", "--config"))
                .getMessage().contains("--config"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cli.parse("frobnicate"))
                .getMessage().contains("frobnicate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cli.parse("run", "--cofig", "c"))
                .getMessage().contains("--cofig"));
    }

    @Test
    void aWrongCommandLineExitsWithTwoAndTheUsageHelpWithZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.EXIT_BAD_CONFIG, Main.run(new String[] {"frobnicate"}, print(out), print(err)));
        String error = err.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("b24bridge: "), error);
        assertTrue(error.contains("Usage: b24bridge [-h] [--config=FILE] [--sandbox[=DIR]] [COMMAND]"), error);

        assertEquals(0, Main.run(new String[] {"help", "restore"}, print(out), print(err)));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("Usage: b24bridge restore") && help.contains("--from=DIR"), help);
        out.reset();
        assertEquals(0, Main.run(new String[] {"version"}, print(out), print(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("b24bridge "));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
