package io.b24bridge.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.b24bridge.EmulatedBox;
import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.Installation;

/**
 * For bench mains: the box emulator (demo CRM, mutual TLS) and the appliance's box client on a migrated Derby,
 * with the local application installed — what a running appliance has once the administrator installed it.
 */
record InstalledBox(Path dir, BoxEmulator emu, Database db, BoxClient client) implements AutoCloseable {

    /** @param ratePerSecond the client's own pace (its {@code rate-limit}), burst twice that */
    static InstalledBox start(String name, int ratePerSecond) throws Exception {
        Path dir = Files.createTempDirectory(name);
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        BoxEmulator emu = EmulatedBox.builder(pki).requestLogSize(1000).seedDemo(true).build().start();
        Installation install = emu.install(null);
        Secret password = Secret.of(pki.password());
        ApplianceConfig.Bitrix24 config = new ApplianceConfig.Bitrix24(URI.create(emu.baseUrl()),
                ApplianceConfig.AuthMode.APPLICATION,
                Optional.of(new ApplianceConfig.Application(emu.clientId(), Secret.of(emu.clientSecret()),
                        Optional.of(URI.create(emu.tokenUrl())))), Optional.empty(),
                new ApplianceConfig.Tls(pki.applianceClient(), password, Optional.empty(), Optional.of(pki.trustStore()),
                        Optional.of(password)),
                Duration.ofSeconds(2), Duration.ofSeconds(10), ratePerSecond, 2 * ratePerSecond);
        Database db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        BoxClient client = BoxClient.create(config, db, dir.resolve("keys/token.key"), Json.newMapper());
        client.installed(new Tokens(Secret.of(install.tokens().accessToken()),
                Secret.of(install.tokens().refreshToken()), install.tokens().expiresAt(),
                Secret.of(install.applicationToken()), "bench", "localhost", null, null, "install"));
        return new InstalledBox(dir, emu, db, client);
    }

    @Override
    public void close() {
        client.close();
        db.close();
        emu.stop();
    }
}
