package io.b24bridge.bitrix;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

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
        return new BoxTransport(TlsMaterial.load(config.tls()).sslContext(), config.connectTimeout(),
                config.requestTimeout());
    }

    /**
     * To Bitrix's OAuth server (application auth renews there, never on the box): the same client key, and the JDK's
     * CAs trusted besides the configured ones, since a public CA signs that server's certificate.
     */
    static BoxTransport toOAuthServer(ApplianceConfig.Bitrix24 config) {
        return new BoxTransport(TlsMaterial.load(config.tls()).sslContextWithSystemCas(), config.connectTimeout(),
                config.requestTimeout());
    }

    /** POSTs a form; transport failures (refused, reset, timeout) are {@link BoxException.Retryable}. */
    RawResponse postForm(String method, URI uri, String form) throws BoxException.Retryable {
        return postForm(method, uri, form, null);
    }

    /** The same with a timeout of its own ({@code null}: the configured one): a long poll waits longer. */
    RawResponse postForm(String method, URI uri, String form, Duration timeout) throws BoxException.Retryable {
        return post(method, uri, "application/x-www-form-urlencoded; charset=utf-8",
                HttpRequest.BodyPublishers.ofString(form), timeout == null ? requestTimeout : timeout);
    }

    /**
     * POSTs a body the publisher streams (a file: never whole in memory), with {@code extra} more than the request
     * timeout to send it.
     */
    RawResponse postStreamed(String method, URI uri, String contentType, HttpRequest.BodyPublisher body,
                             Duration extra) throws BoxException.Retryable {
        return post(method, uri, contentType, body, requestTimeout.plus(extra));
    }

    private RawResponse post(String method, URI uri, String contentType, HttpRequest.BodyPublisher body,
                             Duration timeout) throws BoxException.Retryable {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(body)
                .build();
        return send(method, request);
    }

    private RawResponse send(String method, HttpRequest request) throws BoxException.Retryable {
        try {
            HttpResponse<byte[]> res = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new RawResponse(res.statusCode(), res.body());
        } catch (HttpConnectTimeoutException e) {
            throw new BoxException.Retryable(method, "UNREACHABLE", "Bitrix24 " + method + ": no connection within "
                    + "the connect timeout", e);
        } catch (HttpTimeoutException e) {
            // the request went, its answer did not come: the box may have done it
            throw new BoxException.Retryable(method, "TIMEOUT", "Bitrix24 " + method + ": no answer within "
                    + request.timeout().orElse(requestTimeout).toMillis() + " ms", e);
        } catch (IOException e) {
            // never put the URI in the message: in webhook mode its path holds the secret. Refused or not
            // connected: the request never left; any other break may have come after the box took it
            throw new BoxException.Retryable(method, neverSent(e) ? "UNREACHABLE" : "NO_ANSWER", "Bitrix24 " + method
                    + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException.Retryable(method, "INTERRUPTED", "Bitrix24 " + method + ": interrupted", e);
        }
    }

    /** Whether the failure came before the request could leave: no connection (refused, unreachable, TLS refused). */
    private static boolean neverSent(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SSLHandshakeException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String kind = root.getClass().getSimpleName();
        if (root instanceof SSLHandshakeException || e instanceof SSLException) {
            return "TLS handshake failed (" + root.getMessage() + "): check the box's certificate, the truststore"
                    + " and that the box accepts the appliance's client certificate";
        }
        if (root instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        return kind + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    @Override
    public void close() {
        http.close();
    }
}
