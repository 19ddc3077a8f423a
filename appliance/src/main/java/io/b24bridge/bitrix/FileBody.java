package io.b24bridge.bitrix;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A request body that carries a file without ever holding it in memory: read from disk in small pieces as the
 * request goes out. Two shapes, as the box takes a recording (telephony.externalCall.attachRecord): a multipart
 * upload to the URL it hands out (the file's own bytes), or a form whose {@code FILE_CONTENT} is the file in base64
 * (URL-encoded as the form goes).
 *
 * @param sendTime more time than the request timeout to send it: a second per megabyte
 */
record FileBody(String contentType, HttpRequest.BodyPublisher publisher, Duration sendTime) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code multipart/form-data} with one file field: the two-step upload. */
    static FileBody multipart(String field, String fileName, Path file) throws BoxException.Retryable {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        String boundary = "b24bridge" + HexFormat.of().formatHex(b);
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + safe(field) + "\"; filename=\""
                + safe(fileName) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher content;
        try {
            content = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new BoxException.Retryable("upload", "FILE_UNREADABLE", "the file " + file + " cannot be read", e);
        }
        return new FileBody("multipart/form-data; boundary=" + boundary, HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8), content,
                HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)), sendTime(file));
    }

    /**
     * {@code application/x-www-form-urlencoded}: {@code form} (already encoded), then {@code &field=} and the file in
     * base64, URL-encoded, as a stream (its length is not known ahead: it goes chunked).
     */
    static FileBody base64Field(String form, String field, Path file) {
        byte[] prefix = (form + (form.isEmpty() ? "" : "&") + Params.enc(field) + "=").getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new SequenceInputStream(new ByteArrayInputStream(prefix),
                        new Base64FormStream(Files.newInputStream(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new FileBody("application/x-www-form-urlencoded; charset=utf-8", publisher, sendTime(file));
    }

    private static Duration sendTime(Path file) {
        try {
            return Duration.ofSeconds(Files.size(file) / (1 << 20) + 1);
        } catch (IOException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** A header value: no quotes or line breaks (a file name comes from the PBX). */
    private static String safe(String s) {
        return s.replaceAll("[\"\\r\\n\\\\]", "_");
    }

    /**
     * The base64 of a stream, URL-encoded ({@code +}, {@code /}, {@code =} as {@code %2B}, {@code %2F}, {@code %3D}),
     * produced three input bytes at a time: a form field of any size in a few kilobytes of memory.
     */
    static final class Base64FormStream extends InputStream {

        private static final char[] ALPHABET =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

        private final InputStream in;
        private final byte[] block = new byte[3 * 4096];
        private final byte[] out = new byte[4 * 4096 * 3];
        private int outPos;
        private int outLen;
        private boolean done;

        Base64FormStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (outPos == outLen && !fill()) {
                return -1;
            }
            int n = Math.min(len, outLen - outPos);
            System.arraycopy(out, outPos, b, off, n);
            outPos += n;
            return n;
        }

        /** Encodes the next block; false at the end. */
        private boolean fill() throws IOException {
            if (done) {
                return false;
            }
            int got = in.readNBytes(block, 0, block.length);
            if (got < block.length) {
                done = true;
            }
            if (got == 0) {
                return false;
            }
            outPos = 0;
            outLen = 0;
            for (int i = 0; i < got; i += 3) {
                int b0 = block[i] & 0xff;
                int b1 = i + 1 < got ? block[i + 1] & 0xff : 0;
                int b2 = i + 2 < got ? block[i + 2] & 0xff : 0;
                emit(ALPHABET[b0 >> 2]);
                emit(ALPHABET[((b0 & 0x03) << 4) | (b1 >> 4)]);
                if (i + 1 < got) {
                    emit(ALPHABET[((b1 & 0x0f) << 2) | (b2 >> 6)]);
                } else {
                    emit('=');
                }
                if (i + 2 < got) {
                    emit(ALPHABET[b2 & 0x3f]);
                } else {
                    emit('=');
                }
            }
            return true;
        }

        private void emit(char c) {
            switch (c) {
                case '+' -> put("%2B");
                case '/' -> put("%2F");
                case '=' -> put("%3D");
                default -> out[outLen++] = (byte) c;
            }
        }

        private void put(String s) {
            for (int i = 0; i < s.length(); i++) {
                out[outLen++] = (byte) s.charAt(i);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
