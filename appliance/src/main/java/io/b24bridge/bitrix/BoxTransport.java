package io.b24bridge.bitrix;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Executors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.tls.TlsMaterial;

/**
 * HTTP/1.1 to the box over mutual TLS: the appliance's client key, the configured CAs for the box's
 * certificate, host-name verification on. Connections are kept alive and reused (the JDK client's pool),
 * so a warm call costs one round trip, not a handshake.
 */
final class BoxTransport implements AutoCloseable {

    /** A raw answer: status and body. */
    record RawResponse(int status, byte[] body) {
    }

    private final HttpClient http;
    private final Duration requestTimeout;

    BoxTransport(SSLContext ssl, Duration connectTimeout, Duration requestTimeout) {
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(ssl)
                .sslParameters(params)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.requestTimeout = requestTimeout;
    }

    static BoxTransport create(ApplianceConfig.Bitrix24 config) {
        return new BoxTransport(sslContext(config.tls()), config.connectTimeout(), config.requestTimeout());
    }

    /** POSTs a form; transport failures (refused, reset, timeout) are {@link BoxException.Retryable}. */
    RawResponse postForm(String method, URI uri, String form) throws BoxException.Retryable {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return send(method, request);
    }

    /** GET (the OAuth token endpoint). */
    RawResponse get(String method, URI uri) throws BoxException.Retryable {
        return send(method, HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build());
    }

    private RawResponse send(String method, HttpRequest request) throws BoxException.Retryable {
        try {
            HttpResponse<byte[]> res = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new RawResponse(res.statusCode(), res.body());
        } catch (HttpTimeoutException e) {
            throw new BoxException.Retryable(method, "TIMEOUT", "Bitrix24 " + method + ": no answer within "
                    + requestTimeout.toMillis() + " ms", e);
        } catch (IOException e) {
            // never put the URI in the message: in webhook mode its path holds the secret
            throw new BoxException.Retryable(method, "UNREACHABLE", "Bitrix24 " + method + ": "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException.Retryable(method, "INTERRUPTED", "Bitrix24 " + method + ": interrupted", e);
        }
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String kind = root.getClass().getSimpleName();
        if (root instanceof javax.net.ssl.SSLHandshakeException || e instanceof javax.net.ssl.SSLException) {
            return "TLS handshake failed (" + root.getMessage() + "): check the box's certificate, the truststore"
                    + " and that the box accepts the appliance's client certificate";
        }
        if (root instanceof java.net.ConnectException) {
            return "connection refused or unreachable";
        }
        return kind + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    static SSLContext sslContext(ApplianceConfig.Tls tls) {
        try {
            TlsMaterial material = TlsMaterial.load(tls);
            char[] none = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", material.key(), none, material.chain().toArray(new java.security.cert.Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (var cert : material.trust()) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the TLS material for the box cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
