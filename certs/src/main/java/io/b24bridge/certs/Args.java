package io.b24bridge.certs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The options of one command: {@code --name value}, {@code --name=value} or a flag {@code --name}. Only the
 * options the command declares are accepted; positional arguments are not used. An option that looks like it
 * carries a password is refused with its own message: passwords never go on the command line.
 */
final class Args {

    /** A declared option: {@code valueName} null for a flag; {@code repeatable} for lists (--dns a --dns b). */
    record Option(String name, String valueName, boolean repeatable, String help) {

        static Option flag(String name, String help) {
            return new Option(name, null, false, help);
        }

        static Option value(String name, String valueName, String help) {
            return new Option(name, valueName, false, help);
        }

        static Option list(String name, String valueName, String help) {
            return new Option(name, valueName, true, help);
        }

        boolean isFlag() {
            return valueName == null;
        }
    }

    /** Bad command-line input; the message says what to write instead. */
    static final class UsageException extends CertsException {
        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, List<String>> values;

    private Args(Map<String, List<String>> values) {
        this.values = values;
    }

    static Args parse(List<String> tokens, List<Option> declared) {
        Map<String, Option> byName = new LinkedHashMap<>();
        declared.forEach(o -> byName.put(o.name(), o));
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (!t.startsWith("-") || t.equals("-") || t.equals("--")) {
                throw new UsageException("unexpected argument '" + t + "': every input is an option (--name value)");
            }
            String name = t.startsWith("--") ? t.substring(2) : t.substring(1);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (looksLikePassword(name)) {
                throw new UsageException("--" + name + ": passwords are never taken on the command line (they would"
                        + " show in ps and in the shell history). Use --password-file FILE (or --ca-password-file"
                        + " FILE), or answer the prompt");
            }
            Option o = byName.get(name);
            if (o == null) {
                throw new UsageException("unknown option --" + name + " (options: " + String.join(" ",
                        byName.keySet().stream().map(n -> "--" + n).toList()) + ")");
            }
            String value;
            if (o.isFlag()) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                value = tokens.get(++i);
            } else {
                throw new UsageException("--" + name + " needs a value (" + o.valueName() + ")");
            }
            if (!o.isFlag() && value.isBlank()) {
                throw new UsageException("--" + name + " needs a value (" + o.valueName() + ")");
            }
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !o.repeatable()) {
                throw new UsageException("--" + name + " is given twice");
            }
            list.add(value);
        }
        return new Args(values);
    }

    /**
     * {@code --password}, {@code --pass}, {@code --ca-password}, {@code --keystore-password} and the like, but
     * not the {@code ...-file} options that name where a password is.
     */
    static boolean looksLikePassword(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith("-file")) {
            return false;
        }
        return n.equals("p") || n.equals("pass") || n.equals("pw") || n.equals("pwd") || n.contains("password")
                || n.contains("passwd") || n.contains("passphrase") || n.endsWith("-pass") || n.equals("secret");
    }

    Optional<String> value(String name) {
        List<String> v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(v.getFirst());
    }

    String value(String name, String defaultValue) {
        return value(name).orElse(defaultValue);
    }

    String required(String name, String why) {
        return value(name).orElseThrow(() -> new UsageException("--" + name + " is required: " + why));
    }

    /** Every value of a repeatable option; commas also separate values ({@code --dns a,b}). */
    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** Every value of a repeatable option as given (file names may hold commas). */
    List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    int integer(String name, int defaultValue, int min, int max) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + v.get() + "'");
        }
    }
}
