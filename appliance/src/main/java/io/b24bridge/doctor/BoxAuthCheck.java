package io.b24bridge.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxProbe;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.OutgoingLinesCheck;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;
import io.b24bridge.store.DatabaseLockedException;

/**
 * What the box accepts, once the connection to it works ({@link BoxCheck}): whether it reaches its OAuth server, as
 * far as its answers tell; each method the product uses with the configured auth (probed without changing anything,
 * {@link BoxProbe}); and through the b24bridge module its state (version, armed, events waiting, the last pull) — or,
 * in the other modes, whether the module is there to be used. In plain words, with what to do.
 */
final class BoxAuthCheck {

    private BoxAuthCheck() {
    }

    static List<Finding> run(ApplianceConfig config, ApplianceConfig.Bitrix24 box, Optional<AdminProbe.Health> running) {
        List<Finding> out = new ArrayList<>();
        out.add(oauthServer(box));
        if (running.isPresent() && box.auth() == ApplianceConfig.AuthMode.APPLICATION) {
            // the running appliance holds the database with the application's tokens
            JsonNode part = running.get().body().path("parts").path("bitrix24");
            String authState = part.path("facts").path("authState").asText("?");
            String detail = part.path("detail").asText("");
            out.add("VALID".equals(authState)
                    ? Finding.ok("bitrix24.auth", "the running appliance's credentials are valid (application): " + detail
                    + " (each method is probed when the appliance is stopped: its tokens are in its database)")
                    : Finding.fail("bitrix24.auth", "the running appliance reports " + authState + ": " + detail));
            return out;
        }
        boolean application = box.auth() == ApplianceConfig.AuthMode.APPLICATION;
        Database db = null;
        Path scratch = null;
        try {
            if (application) {
                Path dbDir = config.storage().databaseDir();
                if (!Files.isRegularFile(dbDir.resolve("service.properties"))) {
                    out.add(Finding.fail("bitrix24.auth", "NOT_INSTALLED: there is no database yet, so no application "
                            + "tokens: start the appliance, then install the local application on the box"));
                    return out;
                }
                db = Database.open(dbDir);
            }
            Path keyFile = config.storage().dir().resolve("keys").resolve("bitrix24-tokens.key");
            if (!Files.exists(keyFile)) {
                // the appliance makes the key on first use; the doctor must not, so it gets a throw-away one
                scratch = Files.createTempDirectory("b24bridge-doctor");
                keyFile = scratch.resolve("none.key");
            }
            // webhook and module modes keep nothing in the database: the client gets none (module: its own token)
            try (BoxClient client = BoxClient.create(box, db, keyFile, Json.newMapper())) {
                out.addAll(methods(client, box.auth()));
                if (running.isEmpty()) {
                    out.add(ClickLinesFinding.of(OutgoingLinesCheck.inspect(new TelephonyApi(client),
                            new CrmApi(client), Instant.now())));
                }
                if (box.auth() == ApplianceConfig.AuthMode.MODULE) {
                    out.add(module(BoxProbe.moduleStatus(client), running.isPresent()));
                } else if (BoxProbe.moduleInstalled(box)) {
                    out.add(Finding.warn("bitrix24.module", "the b24bridge module is installed on this box, but "
                            + "bitrix24.auth is " + box.auth().name().toLowerCase(Locale.ROOT) + ": set auth: module "
                            + "(with module.credential-file) to use it (docs/box-module.md)"));
                }
            }
        } catch (DatabaseLockedException e) {
            out.add(Finding.fail("bitrix24.auth", "the database is in use (the appliance runs?) but its admin listener "
                    + "did not answer: check listeners.admin, then run doctor again"));
        } catch (IOException | RuntimeException e) {
            out.add(Finding.fail("bitrix24.auth", "the box's methods could not be probed: " + AdminProbe.rootMessage(e)));
        } finally {
            if (db != null) {
                db.close();
            }
            deleteScratch(scratch);
        }
        return out;
    }

    /** Each method the product uses, as this box takes this appliance's auth: one line when all do. */
    private static List<Finding> methods(BoxClient client, ApplianceConfig.AuthMode mode) {
        List<BoxProbe.Answer> answers = BoxProbe.methods(client, mode);
        String auth = mode.name().toLowerCase(Locale.ROOT) + " auth";
        if (answers.stream().allMatch(a -> a.verdict() == BoxProbe.Verdict.ACCEPTED)) {
            return List.of(Finding.ok("bitrix24.auth", "the box takes " + auth + " for every method the product uses ("
                    + answers.size() + " probed without changing anything)"));
        }
        if (answers.stream().allMatch(a -> a.verdict() == BoxProbe.Verdict.CREDENTIALS)) {
            BoxProbe.Answer first = answers.getFirst();
            return List.of(Finding.fail("bitrix24.auth", first.words() + methodAdvice(first, mode)));
        }
        List<Finding> out = new ArrayList<>();
        for (BoxProbe.Answer a : answers) {
            if (a.verdict() == BoxProbe.Verdict.ACCEPTED) {
                continue;
            }
            out.add(Finding.fail("bitrix24.auth." + a.method(), a.words() + " — needed for: " + a.use()
                    + methodAdvice(a, mode)));
        }
        return out;
    }

    private static String methodAdvice(BoxProbe.Answer a, ApplianceConfig.AuthMode mode) {
        return switch (a.verdict()) {
            case REFUSED_AUTH_TYPE -> mode == ApplianceConfig.AuthMode.WEBHOOK
                    ? ". This box takes only application tokens here: on a box without internet install the b24bridge "
                    + "module and set bitrix24.auth: module (docs/box-module.md)" : "";
            case NOT_ALLOWED -> ". Give the application (or the webhook, or the module's acting user) that scope and "
                    + "the CRM rights";
            case CREDENTIALS -> a.words().contains("CONNECTION_ERROR")
                    ? ". The box cannot check application tokens without its OAuth server: see bitrix24.oauth-server"
                    : "";
            case NOT_THERE -> a.method().startsWith("b24bridge.") ? ". The b24bridge module is not installed" : "";
            default -> "";
        };
    }

    /** Whether the box reaches its OAuth server, in words for the configured mode. */
    private static Finding oauthServer(ApplianceConfig.Bitrix24 box) {
        BoxProbe.OAuthServer reach = BoxProbe.oauthServer(box);
        return switch (reach) {
            case REACHABLE -> Finding.ok("bitrix24.oauth-server", "the box reaches Bitrix's OAuth server: application "
                    + "tokens can be checked and the cloud queue can deliver events (to an address reachable from the "
                    + "internet)");
            case UNKNOWN -> Finding.warn("bitrix24.oauth-server", "the box's answer did not tell whether it reaches its "
                    + "OAuth server");
            case UNREACHABLE -> switch (box.auth()) {
                case MODULE -> Finding.ok("bitrix24.oauth-server", "the box cannot reach Bitrix's OAuth server, as an "
                        + "air-gapped box: the b24bridge module does without it");
                case APPLICATION -> Finding.fail("bitrix24.oauth-server", "the box cannot reach Bitrix's OAuth server "
                        + "(CONNECTION_ERROR): no application token can be checked and no event is ever delivered. "
                        + "Install the b24bridge module on the box and set bitrix24.auth: module (docs/box-module.md)");
                case WEBHOOK -> Finding.warn("bitrix24.oauth-server", "the box cannot reach Bitrix's OAuth server: "
                        + "webhooks work, but no event (click-to-call, callbacks) can come without the b24bridge module "
                        + "(docs/box-module.md)");
            };
        };
    }

    /** The b24bridge module's state, from b24bridge.status. */
    private static Finding module(JsonNode s, boolean applianceRuns) {
        if (s == null) {
            return Finding.fail("bitrix24.module", "the b24bridge module does not answer b24bridge.status (see the "
                    + "lines above)");
        }
        String version = s.path("module_id").asText("b24bridge.connector") + " " + s.path("version").asText("?");
        if (!"armed".equals(s.path("state").asText())) {
            return Finding.fail("bitrix24.module", version + " is " + s.path("state").asText("?") + ": the box "
                    + "administrator arms it on its options page");
        }
        int depth = s.path("queue_depth").asInt();
        JsonNode oldest = s.path("oldest_undelivered");
        String words = version + ", armed; " + depth + " event(s) waiting" + (oldest.isObject() ? " (oldest "
                + oldest.path("event").asText() + ", " + oldest.path("age_seconds").asLong() + " s old, delivered "
                + oldest.path("deliveries").asInt() + " time(s))" : "") + "; the appliance last pulled at "
                + s.path("last_pull_at").asText("never");
        if (oldest.isObject() && oldest.path("age_seconds").asLong() > 120) {
            return Finding.warn("bitrix24.module", words + ": events wait on the box — "
                    + (applianceRuns ? "see the events part of /health" : "start the appliance: it collects them"));
        }
        return Finding.ok("bitrix24.module", words);
    }

    private static void deleteScratch(Path scratch) {
        if (scratch == null) {
            return;
        }
        try (var files = Files.list(scratch)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            // a leftover empty key in the temporary folder harms nothing
        }
    }
}
