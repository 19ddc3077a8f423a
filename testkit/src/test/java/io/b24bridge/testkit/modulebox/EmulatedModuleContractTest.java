package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.Deployment;
import io.b24bridge.testkit.bitrix.EmulatorTls;

/**
 * The box emulator's {@code with-module} deployment plays every contract fixture of the PHP module
 * ({@code box-module/contract/}): one set of scenarios, both implementations held to it. The appliance's client
 * certificate and another of the same CA come from the development PKI.
 */
class EmulatedModuleContractTest {

    private static final Path CONTRACT = Path.of("..", "box-module", "contract").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    private static BoxEmulator emu;
    private static EmulatedModuleBox box;

    @BeforeAll
    static void startBoxWithModule() {
        DevPki.Files pki = DevPki.ensure(dir.resolve("pki"), List.of("localhost", "127.0.0.1"));
        emu = BoxEmulator.builder().port(0)
                .tls(EmulatorTls.fromPkcs12(pki.boxServer(), pki.password(), pki.trustStore(), pki.boxClient()))
                .deployment(Deployment.WITH_MODULE)
                .moduleApplianceDn(EmulatorTls.subjectOf(pki.applianceClient(), pki.password()))
                .seedDemo(true)
                .build().start();
        box = new EmulatedModuleBox(emu,
                EmulatorTls.clientContext(pki.trustStore(), pki.applianceClient(), pki.password()),
                EmulatorTls.clientContext(pki.trustStore(), pki.boxClient(), pki.password()),
                EmulatorTls.clientContext(pki.trustStore(), null, pki.password()));
    }

    @AfterAll
    static void stop() {
        if (emu != null) {
            emu.stop();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureHoldsForTheEmulatedModule() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(CONTRACT)) {
            fixtures = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        return fixtures.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            JsonNode fixture = new ObjectMapper().readTree(file.toFile());
            assertEquals(List.of(), new ContractPlayer(box).play(fixture), fixture.path("name").asText());
        }));
    }
}
