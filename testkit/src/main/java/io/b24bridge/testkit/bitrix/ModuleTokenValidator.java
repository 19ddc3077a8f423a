package io.b24bridge.testkit.bitrix;

import java.util.Set;

/**
 * The b24bridge module's validator on {@code rest:OnRestCheckAuth} at sort 90 (box-module {@code Auth\RestAuth}):
 * the first handler that answers wins (rest/classes/general/rest_util.php:532-555), so it answers only for the
 * tokens it issued ({@code b24b1.}) and steps aside for every other, which then meets the box's own validator — on
 * an air-gapped box, the unreachable OAuth server. For its own tokens it never falls through: not armed, not the
 * appliance's connection, unknown, expired — each its own refusal; accepted, it answers as the box's OAuth validator
 * does (auth type oauth, the application's client_id), with the token's user and scope.
 */
final class ModuleTokenValidator implements TokenValidator {

    private final ConnectorModule module;
    private final TokenValidator others;

    ModuleTokenValidator(ConnectorModule module, TokenValidator others) {
        this.module = module;
        this.others = others;
    }

    @Override
    public Grant check(String accessToken, String clientDn) {
        if (!accessToken.startsWith(ModuleTokens.PREFIX)) {
            return others.check(accessToken, clientDn);
        }
        if (!module.armed()) {
            throw RestError.withStatus("MODULE_NOT_ARMED", "The b24bridge module is installed but not armed: its "
                    + "tokens are refused until the box administrator arms it", 401);
        }
        RestError identity = module.identityRefusal(clientDn);
        if (identity != null) {
            throw identity;
        }
        ModuleTokens.Record r = module.tokens.findAccess(accessToken);
        if (r == null) {
            throw RestError.of("invalid_token", "The access token is unknown or was revoked");
        }
        if (module.tokens.expired(r)) {
            throw RestError.of("expired_token", OAuthServer.EXPIRED);
        }
        return new Grant(r.userId(), Set.of(r.scope().split(",")));
    }

    @Override
    public void reset() {
        others.reset();
    }
}
