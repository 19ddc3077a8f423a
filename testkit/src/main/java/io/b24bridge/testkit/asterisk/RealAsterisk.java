package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.time.Duration;
import java.util.logging.Logger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a real Asterisk 22 pair (PBX under test + world) for a test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RealAsterisk ASTERISK = RealAsterisk.withScenario(
 *         Scenario.base().withPbxFile("b24bridge.conf", Path.of("../docs/asterisk/b24bridge.conf")));
 *
 * @Test
 * void inboundCall(AsteriskPair pbx) throws Exception {
 *     pbx.placeInboundCall("4951000101", "79161112233", WorldScript.talks(Duration.ofSeconds(2)));
 * }
 * }</pre>
 * or {@code @ExtendWith(RealAsterisk.class)} for the base configs. One pair serves the whole JVM: classes
 * with the same scenario share it as is; another scenario restarts it (about a second). Before each test
 * every call is hung up and the world's behaviours are reset.
 * <p>
 * When the machine cannot run it (not root, no root filesystem, ports taken…) every test of the class is <b>skipped</b>
 * with the reason, also printed on stderr; with {@code B24TEST_ASTERISK_REQUIRED=1}
 * ({@code -Db24bridge.asterisk.required=true}) it fails instead, which is what CI wants.
 */
public final class RealAsterisk implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Logger LOG = Logger.getLogger(RealAsterisk.class.getName());
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealAsterisk.class);

    private final Scenario scenario;
    private volatile AsteriskPair pair;
    private volatile String cannotRun;

    /** The base configs ({@code @ExtendWith(RealAsterisk.class)}). */
    public RealAsterisk() {
        this(Scenario.base());
    }

    private RealAsterisk(Scenario scenario) {
        this.scenario = scenario;
    }

    public static RealAsterisk withScenario(Scenario scenario) {
        return new RealAsterisk(scenario);
    }

    /** The running pair; only inside the class's tests (after {@code beforeAll}). */
    public AsteriskPair pair() {
        AsteriskPair p = pair;
        if (p == null) {
            throw new IllegalStateException("RealAsterisk has not started: register it on the test class");
        }
        return p;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        long t0 = System.nanoTime();
        SharedPair shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedPair.class, k -> new SharedPair(AsteriskSettings.fromEnvironment()), SharedPair.class);
        try {
            pair = shared.acquire(scenario);
        } catch (SharedPair.CannotRun e) {
            String line = "RealAsterisk: " + context.getDisplayName() + " cannot run a real Asterisk here: " + e.getMessage();
            if (shared.settings().required()) {
                System.err.println("FAILED " + line);
                throw new IllegalStateException(line + " (B24TEST_ASTERISK_REQUIRED is set, so this fails instead of skipping)");
            }
            System.err.println("SKIPPED " + line);
            LOG.warning(line);
            // aborted here, the class would vanish from surefire's counts; each test reports the skip instead
            cannotRun = line;
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info(() -> "RealAsterisk ready for " + context.getDisplayName() + " in " + took.toMillis() + " ms");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, InterruptedException {
        Assumptions.assumeTrue(cannotRun == null, cannotRun);
        pair().reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == AsteriskPair.class || type == World.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == World.class ? pair().world() : pair();
    }
}
