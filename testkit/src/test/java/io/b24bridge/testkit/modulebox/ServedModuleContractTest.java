package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java player plays every contract fixture against the real PHP module, served like a box: proof that the player
 * and the fixtures agree with the module before the box emulator's {@code with-module} deployment is held to them.
 * Needs php-fpm, nginx, MariaDB and openssl (box-module/README.md): without them the tests are skipped with the
 * reason, and with {@code B24TEST_BOXMODULE_REQUIRED=1} (CI) they fail instead.
 */
class ServedModuleContractTest {

    private static final Path BOX_MODULE = Path.of("..", "box-module").toAbsolutePath().normalize();
    private static ServedModuleBox box;
    private static String cannotRun;

    @BeforeAll
    static void startServedBox() throws Exception {
        Path work = Files.createTempDirectory("b24box-java");
        try {
            box = ServedModuleBox.start(BOX_MODULE, work, Duration.ofSeconds(90));
        } catch (IOException e) {
            cannotRun = "the served box module cannot run here: " + e.getMessage();
            if ("1".equals(System.getenv("B24TEST_BOXMODULE_REQUIRED"))) {
                throw new IllegalStateException(cannotRun + " (B24TEST_BOXMODULE_REQUIRED is set, so this fails instead of skipping)", e);
            }
            System.err.println("SKIPPED " + cannotRun);
        }
    }

    @AfterAll
    static void stopServedBox() throws InterruptedException {
        if (box != null) {
            box.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureHoldsForTheServedModule() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(BOX_MODULE.resolve("contract"))) {
            fixtures = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        return fixtures.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Assumptions.assumeTrue(cannotRun == null, cannotRun);
            JsonNode fixture = new ObjectMapper().readTree(file.toFile());
            assertEquals(List.of(), new ContractPlayer(box).play(fixture), fixture.path("name").asText());
        }));
    }
}
