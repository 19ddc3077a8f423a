package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a scenario's configs into an instance's etc directory: the base files (listed in
 * {@code asterisk/<instance>/FILES}, since a directory inside a jar cannot be listed), then the scenario's
 * files over them, each with its {@code @NAME@} placeholders filled. Nothing of the package's own
 * /etc/asterisk is used: the instances run on our files alone.
 */
final class ConfigWriter {

    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z][A-Z_]*)@");

    private ConfigWriter() {
    }

    static void write(Scenario scenario, AsteriskSettings settings, InstanceDirs dirs) throws IOException {
        Map<String, String> files = new TreeMap<>(baseFiles(dirs.name()));
        files.putAll(scenario.overridesFor(dirs.name()));
        Map<String, String> values = settings.placeholders();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dirs.etc().resolve(f.getKey()), render(f.getValue(), values, f.getKey()),
                    StandardCharsets.UTF_8);
        }
    }

    /** The base config files of an instance, name → template text. */
    static Map<String, String> baseFiles(String instance) {
        Map<String, String> files = new TreeMap<>();
        for (String line : resource("asterisk/" + instance + "/FILES").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                files.put(name, resource("asterisk/" + instance + "/" + name));
            }
        }
        return files;
    }

    /** Fills {@code @NAME@} placeholders; an unknown name is an error, not a silent leftover. */
    static String render(String template, Map<String, String> values, String fileName) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(fileName + ": unknown placeholder @" + m.group(1) + "@");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ConfigWriter.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
