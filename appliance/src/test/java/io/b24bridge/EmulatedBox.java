package io.b24bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.BoxEmulatorBuilder;
import io.b24bridge.testkit.bitrix.Deployment;
import io.b24bridge.testkit.bitrix.EdgeProxy;
import io.b24bridge.testkit.bitrix.EmulatorTls;

/**
 * The Bitrix24 box emulator (testkit) for the appliance's scenario tests: a cloud-connected box 26.250 (tokens
 * checked at its OAuth server, events from Bitrix's cloud queue — reach the appliance through
 * {@link io.b24bridge.TestAppliance#publicUri}), its server certificate from the same development PKI as the
 * appliance's, and it demands the appliance's client certificate (as nginx in front of a real box).
 */
public final class EmulatedBox {

    private EmulatedBox() {
    }

    public static BoxEmulatorBuilder builder(DevPki.Files pki) {
        return BoxEmulator.builder()
                .port(0)
                .tls(EmulatorTls.fromPkcs12(pki.boxServer(), pki.password(), pki.trustStore(), pki.boxClient()))
                .requireClientCert(true);
    }

    /**
     * An edge proxy in front of an appliance's box listener ({@code https://127.0.0.1:<port>}): what Bitrix's cloud
     * queue, which presents no client certificate, POSTs events to; it forwards them with the development
     * box-client certificate.
     */
    public static EdgeProxy edgeProxy(DevPki.Files pki, java.net.URI boxListener) {
        return EdgeProxy.start(EmulatorTls.fromPkcs12(pki.applianceServer(), pki.password(), pki.trustStore(),
                pki.boxClient()), "127.0.0.1", 0, boxListener);
    }

    /** The appliance's bitrix24 section for this emulator (application auth, renewed at the OAuth server). */
    public static String applicationSection(BoxEmulator emu) {
        return """
                bitrix24:
                  url: %s
                  auth: application
                  application:
                    client-id: %s
                    client-secret: %s
                    token-endpoint: %s
                  tls:
                    keystore: %%1$s
                    keystore-password-file: %%2$s
                    truststore: %%3$s
                  connect-timeout: 1s
                  request-timeout: 5s
                """.formatted(emu.baseUrl(), emu.clientId(), emu.clientSecret(), emu.tokenUrl());
    }

    /**
     * An air-gapped box with the b24bridge module ({@code with-module}): the module's options name the development
     * PKI's appliance client certificate, as a box administrator enters it.
     */
    public static BoxEmulatorBuilder withModule(DevPki.Files pki) {
        return builder(pki).deployment(Deployment.WITH_MODULE)
                .moduleApplianceDn(EmulatorTls.subjectOf(pki.applianceClient(), pki.password()));
    }

    /**
     * The appliance's bitrix24 section for a box with the module: auth module, the credential the module showed,
     * written to {@code credentialFile} (as the box administrator copies it there).
     */
    public static String moduleSection(BoxEmulator emu, Path credentialFile) {
        try {
            Files.createDirectories(credentialFile.getParent());
            Files.writeString(credentialFile, emu.module().credential() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return """
                bitrix24:
                  url: %s
                  auth: module
                  module:
                    credential-file: %s
                  tls:
                    keystore: %%1$s
                    keystore-password-file: %%2$s
                    truststore: %%3$s
                  connect-timeout: 1s
                  request-timeout: 5s
                """.formatted(emu.baseUrl(), credentialFile);
    }

    /** A webhook section: user {@code user}, secret {@code secret}. */
    public static String webhookSection(BoxEmulator emu, int user, String secret) {
        return """
                bitrix24:
                  url: %s
                  auth: webhook
                  webhook:
                    user-id: %d
                    secret: %s
                  tls:
                    keystore: %%1$s
                    keystore-password-file: %%2$s
                    truststore: %%3$s
                  connect-timeout: 1s
                  request-timeout: 5s
                """.formatted(emu.baseUrl(), user, secret);
    }
}
