package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: options, help, exit statuses; above all, that no password can be given on it. */
class CommandLineTest {

    static final List<String> COMMANDS = List.of("init-ca", "import-ca", "csr", "issue", "bundle", "verify", "expiry");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"init-ca", "import-ca", "csr", "issue", "bundle", "verify", "expiry"})
    void aPasswordOnTheCommandLineIsRefusedByEveryCommand(String command) {
        for (List<String> attempt : List.of(List.of("--password", "s3cret-value"), List.of("--password=s3cret-value"),
                List.of("--ca-password", "s3cret-value"), List.of("--keystore-password", "s3cret-value"),
                List.of("--pass", "s3cret-value"), List.of("-p", "s3cret-value"), List.of("--store-pass", "x"))) {
            String[] args = new String[attempt.size() + 3];
            args[0] = command;
            args[1] = "--dir";
            args[2] = dir.toString();
            for (int i = 0; i < attempt.size(); i++) {
                args[i + 3] = attempt.get(i);
            }
            Tool.Result r = Tool.run(args);
            assertEquals(CertsTool.ERROR, r.code(), r::toString);
            assertTrue(r.err().contains("passwords are never taken on the command line"), r::toString);
            assertFalse(r.all().contains("s3cret-value"), "the refused value is not echoed: " + r);
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing is written");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noCommandDeclaresAnOptionThatCarriesAPassword() {
        CertsTool tool = new CertsTool(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()), q -> new char[0], Clock.systemUTC());
        for (String c : COMMANDS) {
            Tool.Result help = Tool.run("help", c);
            assertEquals(0, help.code(), help::toString);
            for (String line : help.out().lines().filter(l -> l.strip().startsWith("--")).toList()) {
                String option = line.strip().split("[ =]")[0].substring(2);
                assertFalse(Args.looksLikePassword(option), c + " declares --" + option);
            }
        }
        assertEquals(CertsTool.ERROR, tool.run("nonsense"));
    }

    @Test
    void passwordFileOptionsAreNotMistakenForPasswords() {
        assertFalse(Args.looksLikePassword("password-file"));
        assertFalse(Args.looksLikePassword("ca-password-file"));
        assertTrue(Args.looksLikePassword("password"));
        assertTrue(Args.looksLikePassword("keystore-password"));
        assertTrue(Args.looksLikePassword("passphrase"));
    }

    @Test
    void theParserSaysWhatIsWrong() {
        List<Args.Option> opts = List.of(Args.Option.value("role", "R", ""), Args.Option.list("dns", "N", ""),
                Args.Option.flag("force", ""));
        assertTrue(assertThrows(Args.UsageException.class, () -> Args.parse(List.of("--colour", "x"), opts))
                .getMessage().startsWith("unknown option --colour"));
        assertTrue(assertThrows(Args.UsageException.class, () -> Args.parse(List.of("--role"), opts))
                .getMessage().contains("needs a value"));
        assertTrue(assertThrows(Args.UsageException.class, () -> Args.parse(List.of("--role", "a", "--role", "b"), opts))
                .getMessage().contains("given twice"));
        assertTrue(assertThrows(Args.UsageException.class, () -> Args.parse(List.of("stray"), opts))
                .getMessage().contains("unexpected argument 'stray'"));
        assertTrue(assertThrows(Args.UsageException.class, () -> Args.parse(List.of("--force=yes"), opts))
                .getMessage().contains("takes no value"));

        Args a = Args.parse(List.of("--dns", "a.example,b.example", "--dns=c.example", "--force", "--role=server"), opts);
        assertEquals(List.of("a.example", "b.example", "c.example"), a.list("dns"));
        assertTrue(a.flag("force"));
        assertEquals("server", a.value("role").orElseThrow());
    }

    @Test
    void helpListsEveryCommandAndEachCommandExplainsItself() {
        Tool.Result overview = Tool.run("help");
        assertEquals(0, overview.code());
        for (String c : COMMANDS) {
            assertTrue(overview.out().contains("  " + c + " "), c);
            Tool.Result help = Tool.run(c, "--help");
            assertEquals(0, help.code());
            assertTrue(help.out().contains("Example"), c + " has an example");
            assertTrue(help.out().contains("Options:"), c);
        }
        Tool.Result none = Tool.run();
        assertEquals(CertsTool.ERROR, none.code(), "no command is a usage error");
        Tool.Result unknown = Tool.run("frobnicate");
        assertEquals(CertsTool.ERROR, unknown.code());
        assertTrue(unknown.err().contains("unknown command 'frobnicate'"));
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        Tool.Result r = Tool.run("csr", "--dir", dir.toString());
        assertEquals(CertsTool.ERROR, r.code());
        assertTrue(r.err().contains("--role is required"), r::toString);
        assertTrue(r.err().contains("see: b24bridge-certs help csr"), r::toString);
    }

    @Test
    void withoutATerminalThePromptSaysToUseAPasswordFile() {
        Tool.Result r = Tool.run("init-ca", "--dir", dir.toString());
        assertEquals(CertsTool.ERROR, r.code());
        assertTrue(r.err().contains("--password-file"), r::toString);
        assertFalse(Files.exists(dir.resolve("local-ca/ca.key")));
    }
}
