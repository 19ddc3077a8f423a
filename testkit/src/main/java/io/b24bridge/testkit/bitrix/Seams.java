package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * A deployment's seams, chosen once when the emulator is built: who checks application tokens
 * ({@link TokenValidator}) and who delivers events ({@link EventSender}). Cloud-connected and air-gapped share
 * them — the OAuth server is reachable or not; a box with the b24bridge module puts the module's validator before
 * the box's own and the module's queue in place of the cloud queue, and has the module itself and its token endpoint.
 */
record Seams(TokenValidator tokens, EventSender events, ConnectorModule module, ModuleTokenEndpoint moduleTokenEndpoint) {

    /**
     * @param outgoing what sends the box's own events (the module's arming installs the application through it)
     * @param boxHost  {@code host:port} of the box as requests name it
     */
    static Seams of(BoxEmulatorBuilder b, Clock clock, Settings settings, CrmState state, Application app,
                    OAuthServer oauth, Supplier<OutgoingEvents> outgoing, Supplier<String> boxHost) {
        TokenValidator cloudTokens = new CloudTokenValidator(oauth, clock);
        if (b.deployment != Deployment.WITH_MODULE) {
            return new Seams(cloudTokens, new CloudQueue(b.tls == null ? EmulatorTls.defaultClient()
                    : b.tls.trustOnly(), oauth, settings, new DeliveryLog(clock), clock), null, null);
        }
        ModuleTokens moduleTokens = new ModuleTokens(clock);
        ModuleQueue queue = new ModuleQueue(clock, new DeliveryLog(clock), (user, refresh, appToken) ->
                ConnectorModule.eventAuth(moduleTokens, boxHost.get(), user, refresh, appToken));
        ConnectorModule module = new ConnectorModule(b.moduleApplianceDn, b.moduleApplianceUrl, state, app, outgoing,
                moduleTokens, queue);
        return new Seams(new ModuleTokenValidator(module, cloudTokens), queue, module,
                new ModuleTokenEndpoint(module, app, boxHost));
    }
}
