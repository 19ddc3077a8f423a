package io.b24bridge.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * POSTs a body of zeros with {@code Transfer-Encoding: chunked} (or a {@code Content-Length}) over a raw TLS socket, as {@code curl -T -} does,
 * while a second thread reads the answer: the upload stops as soon as the server answered or closed. Tells how
 * many bytes went out, so a test can prove the server refused the body early instead of reading it whole.
 */
final class ChunkedUpload {

    /** @param status the HTTP status the server answered (0: it closed without one); @param sent bytes of body sent */
    record Result(int status, long sent) {
    }

    private ChunkedUpload() {
    }

    static Result post(SSLContext tls, URI uri, String contentType, long bodyBytes, String... headers)
            throws IOException, InterruptedException {
        return post(tls, uri, contentType, bodyBytes, true, headers);
    }

    /** As {@link #post}, the body announced by {@code Content-Length} instead when {@code chunked} is false. */
    static Result post(SSLContext tls, URI uri, String contentType, long bodyBytes, boolean chunked,
                       String... headers) throws IOException, InterruptedException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost()
                    + ":" + uri.getPort() + "\r\n" + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + bodyBytes)
                    + "\r\nContent-Type: " + contentType + "\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> readStatus(socket));
            byte[] chunk = new byte[64 * 1024];
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                while (sent < bodyBytes && !status.isDone()) {
                    if (chunked) {
                        out.write(size);
                    }
                    int n = (int) Math.min(chunk.length, bodyBytes - sent);
                    out.write(chunk, 0, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    sent += n;
                }
                if (chunked && !status.isDone()) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException closedByServer) {
                // the server stopped reading: what it answered (if anything) is read below
            }
            try {
                return new Result(status.get(20, TimeUnit.SECONDS), sent);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return new Result(0, sent);
            }
        }
    }

    private static int readStatus(SSLSocket socket) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            String line = in.readLine();
            return line == null || !line.startsWith("HTTP/1.1 ") ? 0 : Integer.parseInt(line.substring(9, 12));
        } catch (IOException e) {
            return 0;
        }
    }
}
