package io.b24bridge.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Every certificate in a set of folders and files — PEM/DER files and PKCS#12 keystores — once each (by
 * fingerprint), with where it was found and how many days it has left.
 */
final class ExpiryReport {

    /** File endings looked at; keys, CSRs and password files are not certificates and are passed over. */
    private static final List<String> CERT_FILES = List.of(".pem", ".crt", ".cer", ".der");
    private static final List<String> KEYSTORES = List.of(".p12", ".pfx");

    /** One certificate: its facts and every place it sits. */
    record Entry(X509Certificate certificate, List<String> locations, long daysLeft, String status) {

        String subject() {
            return Names.subject(certificate);
        }

        Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }
    }

    /** A file that could not be read: the report is then incomplete, and says so. */
    record Problem(Path file, String message) {
    }

    record Result(List<Entry> entries, List<Problem> problems, Instant checkedAt, int thresholdDays) {

        long expiring() {
            return entries.stream().filter(e -> e.daysLeft() < thresholdDays).count();
        }
    }

    private ExpiryReport() {
    }

    /**
     * Scans {@code roots} (a folder: its files and those one level down; a file: itself). Keystores are opened
     * with {@code password}, asked for only when the first keystore turns up.
     */
    static Result scan(List<Path> roots, Supplier<char[]> password, Instant now, int thresholdDays) {
        Map<String, Entry> byFingerprint = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Path file : files(roots, problems)) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            try {
                if (KEYSTORES.stream().anyMatch(n::endsWith)) {
                    KeyStore ks = Stores.open(file, password.get());
                    for (Stores.Located l : Stores.allCertificates(ks)) {
                        add(byFingerprint, l.certificate(), file + " (" + l.where() + ")", now, thresholdDays);
                    }
                } else if (holdsCertificates(file)) {
                    List<X509Certificate> certs = Pem.readCertificates(file);
                    for (int i = 0; i < certs.size(); i++) {
                        add(byFingerprint, certs.get(i), certs.size() == 1 ? file.toString() : file + " [" + i + "]",
                                now, thresholdDays);
                    }
                }
            } catch (CertsException e) {
                problems.add(new Problem(file, e.getMessage()));
            } catch (GeneralSecurityException e) {
                problems.add(new Problem(file, "cannot be read: " + e.getMessage()));
            }
        }
        List<Entry> entries = new ArrayList<>(byFingerprint.values());
        entries.sort(Comparator.comparing(Entry::notAfter));
        return new Result(entries, problems, now, thresholdDays);
    }

    private static void add(Map<String, Entry> byFingerprint, X509Certificate c, String where, Instant now,
                            int thresholdDays) {
        String fp = Fingerprints.sha256(c);
        Entry e = byFingerprint.get(fp);
        if (e != null) {
            e.locations().add(where);
            return;
        }
        Instant end = c.getNotAfter().toInstant();
        long days = Math.floorDiv(Duration.between(now, end).toSeconds(), 86_400L);
        String status;
        if (now.isAfter(end)) {
            status = "expired";
        } else if (now.isBefore(c.getNotBefore().toInstant())) {
            status = "not-yet-valid";
        } else if (days < thresholdDays) {
            status = "expiring";
        } else {
            status = "ok";
        }
        List<String> locations = new ArrayList<>();
        locations.add(where);
        byFingerprint.put(fp, new Entry(c, locations, days, status));
    }

    /** A PEM file of other things (a key, a CSR) is no problem, just nothing to report. */
    private static boolean holdsCertificates(Path file) throws CertsException {
        byte[] bytes = SecureFiles.read(file, "certificate file");
        if (!Pem.isPem(bytes)) {
            return true;
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        return text.contains("-----BEGIN CERTIFICATE-----") || text.contains("-----BEGIN X509 CERTIFICATE-----")
                || text.contains("-----BEGIN TRUSTED CERTIFICATE-----") || text.contains("-----BEGIN PKCS7-----");
    }

    private static List<Path> files(List<Path> roots, List<Problem> problems) {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                out.add(root);
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root, 2)) {
                    s.filter(Files::isRegularFile).filter(ExpiryReport::looksRelevant).sorted().forEach(out::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    problems.add(new Problem(root, "cannot be listed: " + e.getMessage()));
                }
            } else {
                problems.add(new Problem(root, "does not exist"));
            }
        }
        return out;
    }

    private static boolean looksRelevant(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (CERT_FILES.stream().anyMatch(n::endsWith) || KEYSTORES.stream().anyMatch(n::endsWith));
    }
}
