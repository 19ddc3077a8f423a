package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration a test runs the pair with: the base configs (resources {@code asterisk/pbx/},
 * {@code asterisk/world/}) plus files that replace a base file of the same name or add one, e.g. the
 * product's dialplan as {@code b24bridge.conf}, which the base {@code extensions.conf} includes. Files are
 * templates: {@code @NAME@} placeholders take the values of {@link AsteriskSettings}. Two equal scenarios
 * can share a running pair.
 *
 * @param name       for logs and reports
 * @param pbxFiles   file name → content, laid over the PBX's base configs
 * @param worldFiles file name → content, laid over the world's base configs
 */
public record Scenario(String name, Map<String, String> pbxFiles, Map<String, String> worldFiles) {

    public Scenario {
        pbxFiles = Map.copyOf(pbxFiles);
        worldFiles = Map.copyOf(worldFiles);
        pbxFiles.keySet().forEach(Scenario::requirePlainName);
        worldFiles.keySet().forEach(Scenario::requirePlainName);
    }

    /** The base configs alone. */
    public static Scenario base() {
        return new Scenario("base", Map.of(), Map.of());
    }

    public Scenario named(String newName) {
        return new Scenario(newName, pbxFiles, worldFiles);
    }

    public Scenario withPbxFile(String fileName, String content) {
        return new Scenario(name, with(pbxFiles, fileName, content), worldFiles);
    }

    public Scenario withPbxFile(String fileName, Path source) {
        return withPbxFile(fileName, read(source));
    }

    public Scenario withWorldFile(String fileName, String content) {
        return new Scenario(name, pbxFiles, with(worldFiles, fileName, content));
    }

    public Scenario withWorldFile(String fileName, Path source) {
        return withWorldFile(fileName, read(source));
    }

    /** The files for one instance ({@code pbx} or {@code world}) laid over its base. */
    Map<String, String> overridesFor(String instance) {
        return switch (instance) {
            case "pbx" -> pbxFiles;
            case "world" -> worldFiles;
            default -> throw new IllegalArgumentException(instance);
        };
    }

    private static Map<String, String> with(Map<String, String> files, String fileName, String content) {
        Map<String, String> copy = new TreeMap<>(files);
        copy.put(fileName, content);
        return copy;
    }

    private static String read(Path source) {
        try {
            return Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requirePlainName(String fileName) {
        if (fileName.isBlank() || fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("a config file name, not a path: " + fileName);
        }
    }
}
