package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The box's own outgoing HTTP: it presents the box's client certificate and trusts the configured CA, host names
 * verified. The box downloads RECORD_URLs with it (voximplant/lib/rest/helper.php:1100-1215); events never leave
 * through it on a connected box (the cloud queue sends them, {@link CloudQueue}).
 */
final class BoxHttp {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    BoxHttp(SSLContext ssl) {
        this.http = client(ssl, executor);
    }

    /** An HTTP/1.1 client for {@code ssl}, host names verified, no redirects. */
    static HttpClient client(SSLContext ssl, ExecutorService executor) {
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(ssl)
                .sslParameters(params)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** GET for RECORD_URL: the box downloads the record once (§2). */
    Recordings.Fetched fetch(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Recordings.Fetched(res.statusCode(), res.body());
    }

    void close() {
        executor.shutdownNow();
        http.shutdownNow();
    }
}
