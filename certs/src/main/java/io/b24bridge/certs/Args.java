package io.b24bridge.certs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The options of one command: {@code --name value}, {@code --name=value} or a flag {@code --name}, read by
 * picocli. Only the options the command declares are accepted; positional arguments are not used. An option that
 * looks like it carries a password is refused with its own message: passwords never go on the command line.
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

    /**
     * Reads a command's options with picocli ({@code --name value}, {@code --name=value}, flags, repeated lists);
     * its errors are told in this tool's words, naming what to write instead.
     */
    static Args parse(List<String> tokens, List<Option> declared) {
        for (String t : tokens) {
            String name = t.replaceFirst("^--?", "").replaceFirst("=.*", "");
            if (t.startsWith("-") && looksLikePassword(name)) {
                throw new UsageException("--" + name + ": passwords are never taken on the command line (they would"
                        + " show in ps and in the shell history). Use --password-file FILE (or --ca-password-file"
                        + " FILE), or answer the prompt");
            }
            if (t.startsWith("--") && t.contains("=") && declared.stream().anyMatch(o -> o.isFlag()
                    && o.name().equals(name))) {
                throw new UsageException("--" + name + " takes no value");
            }
        }
        CommandSpec spec = spec("options", List.of(), declared);
        ParseResult parsed;
        try {
            parsed = new CommandLine(spec).parseArgs(tokens.toArray(String[]::new));
        } catch (UnmatchedArgumentException e) {
            String first = e.getUnmatched().getFirst();
            throw new UsageException(first.startsWith("-")
                    ? "unknown option " + first.replaceFirst("=.*", "") + " (options: " + String.join(" ",
                            declared.stream().map(o -> "--" + o.name()).toList()) + ")"
                    : "unexpected argument '" + first + "': every input is an option (--name value)");
        } catch (MissingParameterException e) {
            OptionSpec o = (OptionSpec) e.getMissing().getFirst();
            throw new UsageException(o.longestName() + " needs a value (" + o.paramLabel() + ")");
        } catch (OverwrittenOptionException e) {
            throw new UsageException(((OptionSpec) e.getOverwritten()).longestName() + " is given twice");
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName().substring(2);
            List<String> given = o.arity().max() == 0 ? List.of("true") : o.originalStringValues();
            for (String v : given) {
                if (v.isBlank()) {
                    throw new UsageException("--" + name + " needs a value (" + o.paramLabel() + ")");
                }
            }
            values.put(name, List.copyOf(given));
        }
        return new Args(values);
    }

    /**
     * The picocli command of {@code b24bridge-certs NAME}: its description lines (the help shows them as they
     * are written) and its options, in order.
     */
    static CommandSpec spec(String name, List<String> description, List<Option> declared) {
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().description(description.stream().map(l -> l.replace("%", "%%")).toArray(String[]::new))
                .optionListHeading("%nOptions:%n").sortOptions(false).sortSynopsis(false).width(110);
        for (Option o : declared) {
            OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).description(o.help().replace("%", "%%"));
            if (o.isFlag()) {
                b.arity("0").type(boolean.class);
            } else if (o.repeatable()) {
                b.arity("1").paramLabel(o.valueName()).type(List.class).auxiliaryTypes(String.class);
            } else {
                b.arity("1").paramLabel(o.valueName()).type(String.class);
            }
            spec.addOption(b.build());
        }
        return spec;
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
