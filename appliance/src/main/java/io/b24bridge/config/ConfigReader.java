package io.b24bridge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * Reads typed values out of a Helidon {@link Config} tree and remembers every key it read, so that the keys
 * nobody read — typos, keys of another version — can be refused by {@link #requireAllKeysKnown()}.
 * Every error names the full key and the value's origin (file or environment variable).
 */
public final class ConfigReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Config node;
    private final Set<String> readKeys;
    private final Path baseDir;
    private final ConfigOrigin origin;

    private ConfigReader(Config node, Set<String> readKeys, Path baseDir, ConfigOrigin origin) {
        this.node = node;
        this.readKeys = readKeys;
        this.baseDir = baseDir;
        this.origin = origin;
    }

    /** Tells where a key's value came from, for error messages. */
    public interface ConfigOrigin {
        String describe(String key);
    }

    static ConfigReader root(Config root, Path baseDir, ConfigOrigin origin) {
        return new ConfigReader(root, new TreeSet<>(), baseDir, origin);
    }

    public ConfigReader child(String key) {
        return new ConfigReader(node.get(key), readKeys, baseDir, origin);
    }

    public boolean exists(String key) {
        return node.get(key).exists();
    }

    /** The elements of a list node (each its own reader); none when the key is absent. */
    public List<ConfigReader> list(String key) {
        Config list = node.get(key);
        List<ConfigReader> items = new ArrayList<>();
        if (!list.exists()) {
            return items;
        }
        if (list.type() != Config.Type.LIST) {
            throw fail(list.key().toString(), "must be a list");
        }
        for (Config item : list.asNodeList().get()) {
            items.add(new ConfigReader(item, readKeys, baseDir, origin));
        }
        return items;
    }

    public String key(String key) {
        String base = node.key().toString();
        return base.isEmpty() ? key : base + "." + key;
    }

    public Optional<String> optionalString(String key) {
        Config value = node.get(key);
        if (!value.exists()) {
            return Optional.empty();
        }
        if (!value.isLeaf()) {
            throw fail(key(key), "must be a single value, not a section");
        }
        readKeys.add(key(key));
        return Optional.of(value.asString().get().strip());
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public String requiredString(String key) {
        return optionalString(key).filter(s -> !s.isEmpty())
                .orElseThrow(() -> fail(key(key), "is required"));
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> raw = optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw fail(key(key), "'" + raw.get() + "' is out of range " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw fail(key(key), "'" + raw.get() + "' is not a whole number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw fail(key(key), "'" + raw.get() + "' is not true/false");
        };
    }

    /** A duration written as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> raw = optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String text = raw.get().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(raw.get().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw fail(key(key), "'" + raw.get() + "' is not a duration (e.g. 500ms, 10s, 5m)");
        }
    }

    /** A path; a relative one is taken from the folder of the configuration file. */
    public Optional<Path> optionalPath(String key) {
        return optionalString(key).filter(s -> !s.isEmpty()).map(s -> baseDir.resolve(s).normalize());
    }

    public Path path(String key, String defaultValue) {
        return optionalPath(key).orElse(baseDir.resolve(defaultValue).normalize());
    }

    /** A path to a file that must exist and be readable. */
    public Path existingFile(String key) {
        Path file = optionalPath(key).orElseThrow(() -> fail(key(key), "is required"));
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw fail(key(key), "file '" + file + "' does not exist or cannot be read");
        }
        return file;
    }

    /**
     * A secret given either inline ({@code <key>}) or, better, in a file ({@code <key>-file}, first line);
     * exactly one of the two.
     */
    public Optional<Secret> optionalSecret(String key) {
        Optional<String> inline = optionalString(key);
        Optional<Path> file = optionalPath(key + "-file");
        if (inline.isPresent() && file.isPresent()) {
            throw fail(key(key), "give either '" + key + "' or '" + key + "-file', not both");
        }
        if (file.isPresent()) {
            Path f = file.get();
            try {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                String first = lines.isEmpty() ? "" : lines.getFirst().strip();
                if (first.isEmpty()) {
                    throw fail(key(key + "-file"), "file '" + f + "' is empty");
                }
                return Optional.of(Secret.of(first));
            } catch (IOException e) {
                throw fail(key(key + "-file"), "file '" + f + "' cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return inline.map(Secret::of);
    }

    public Secret requiredSecret(String key) {
        return optionalSecret(key).orElseThrow(() -> fail(key(key), "is required (or '" + key + "-file')"));
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Optional<String> raw = optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String wanted = raw.get().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw fail(key(key), "'" + raw.get() + "' is not one of " + allowed);
    }

    public ConfigException fail(String fullKey, String problem) {
        return new ConfigException("configuration key '" + fullKey + "' " + origin.describe(fullKey) + problem);
    }

    /** Refuses keys nobody read: a typo must stop the start, not be ignored. */
    void requireAllKeysKnown() {
        node.traverse()
                .filter(Config::isLeaf)
                .map(c -> c.key().toString())
                .filter(k -> !readKeys.contains(k))
                .findFirst()
                .ifPresent(k -> {
                    throw new ConfigException("unknown configuration key '" + k + "' " + origin.describe(k)
                            + "(a typo, or a key this version does not know)");
                });
    }
}
