package io.b24bridge.settings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Settings as JSON: a section's value, and the export document holding all of them. Reading turns every
 * JSON problem into a {@link FieldError} naming the field, then runs the section's own validation.
 */
public final class SettingsJson {

    /** The export document's format marker. */
    public static final String FORMAT = "b24bridge-settings";
    public static final int FORMAT_VERSION = 1;
    /** The highest version a document may carry: 2^53 - 1, exact in every JSON reader (the panel's too). */
    public static final long MAX_VERSION = (1L << 53) - 1;

    private final ObjectMapper mapper;

    public SettingsJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Parses and validates one section's value. */
    public SectionValue readSection(Section section, byte[] body) {
        Problems problems = new Problems();
        SectionValue value = parse(section, body, problems, "");
        if (value != null) {
            value.validate(problems);
            Texts.check(mapper.valueToTree(value), problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(section.key(), problems.errors());
        }
        return value;
    }

    /** Parses a stored value without validating it (values stored by an earlier version, whose rules were looser). */
    SectionValue readSectionUnchecked(Section section, String body) {
        try {
            return mapper.readValue(body, section.type());
        } catch (IOException e) {
            throw new IllegalStateException("stored settings section " + section.key() + " cannot be read", e);
        }
    }

    /** The canonical text of a section's value (what is stored and exported). */
    public String write(SectionValue value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings cannot be written as JSON", e);
        }
    }

    public JsonNode tree(SectionValue value) {
        return mapper.valueToTree(value);
    }

    /** The export document of a snapshot: stable text, so an export → import → export gives the same bytes. */
    public String export(Settings settings) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("format", FORMAT);
        doc.put("formatVersion", FORMAT_VERSION);
        doc.put("version", settings.version());
        ObjectNode sections = doc.putObject("sections");
        Arrays.stream(Section.values())
                .sorted((a, b) -> a.key().compareTo(b.key()))
                .forEach(s -> sections.set(s.key(), mapper.valueToTree(settings.get(s))));
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses and validates a whole export document. Sections it does not hold get their defaults.
     *
     * @return the sections and the document's version
     */
    public ImportedDocument readDocument(byte[] body) {
        Problems problems = new Problems();
        JsonNode doc;
        try {
            doc = mapper.readTree(body);
        } catch (IOException e) {
            throw new InvalidSettingsException(null, List.of(new FieldError("(document)",
                    "is not valid JSON: " + firstLine(e instanceof JsonProcessingException j
                            ? j.getOriginalMessage() : e.getMessage()))));
        }
        if (doc == null || !doc.isObject()) {
            throw new InvalidSettingsException(null, List.of(new FieldError("(document)", "must be a JSON object")));
        }
        if (!FORMAT.equals(doc.path("format").asText())) {
            problems.add("format", "must be '" + FORMAT + "' (is this a b24bridge settings export?)");
        }
        if (doc.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
            problems.add("formatVersion", "must be " + FORMAT_VERSION);
        }
        JsonNode versionNode = doc.path("version");
        long version = versionNode.canConvertToExactIntegral() && versionNode.canConvertToLong()
                ? versionNode.asLong() : 0;
        if (!versionNode.isMissingNode() && !versionNode.canConvertToExactIntegral()) {
            problems.add("version", "must be a whole number");
        } else if (version < 0 || version > MAX_VERSION || !versionNode.canConvertToLong()) {
            // a version near Long.MAX would overflow at the next change, and every change after a restart would fail
            problems.add("version", "must be between 0 and " + MAX_VERSION);
        }
        for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("format", "formatVersion", "version", "sections").contains(field)) {
                problems.add(field, "is not a known field");
            }
        }
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        JsonNode sections = doc.path("sections");
        if (!sections.isObject()) {
            problems.add("sections", "is required (an object with one entry per section)");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = sections.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                Section section = Section.byKey(entry.getKey()).orElse(null);
                if (section == null) {
                    problems.add("sections." + entry.getKey(), "is not a settings section; known: "
                            + Arrays.stream(Section.values()).map(Section::key).toList());
                    continue;
                }
                Problems at = problems.at("sections." + section.key());
                try {
                    SectionValue value = parse(section, mapper.writeValueAsBytes(entry.getValue()), at, "");
                    if (value != null) {
                        value.validate(at);
                        Texts.check(mapper.valueToTree(value), at);
                        values.put(section, value);
                    }
                } catch (JsonProcessingException e) {
                    at.add("(section)", "cannot be read");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(null, problems.errors());
        }
        return new ImportedDocument(version, values);
    }

    /** What an export document holds. */
    public record ImportedDocument(long version, Map<Section, SectionValue> sections) {
    }

    private SectionValue parse(Section section, byte[] body, Problems problems, String prefix) {
        try {
            SectionValue value = mapper.readValue(body, section.type());
            if (value == null) {
                problems.add("(section)", "must be a JSON object");
            }
            return value;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException broken) {
                problems.add("(document)", "is not valid JSON: " + firstLine(broken.getOriginalMessage()));
            } else {
                problems.add(prefix + path(e), reason(e));
            }
            return null;
        } catch (StreamReadException e) {
            problems.add("(document)", "is not valid JSON: " + firstLine(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add("(document)", "cannot be read: " + firstLine(e.getMessage()));
            return null;
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(section)" : path.toString();
    }

    private static String reason(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            known.sort(String::compareTo);
            return "is not a known field; known: " + known;
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return "'" + f.getValue() + "' is not one of " + Arrays.toString(f.getTargetType().getEnumConstants());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            Class<?> t = m.getTargetType();
            if (t.isEnum()) {
                return "must be one of " + Arrays.toString(t.getEnumConstants());
            }
            return "must be " + describe(t);
        }
        return firstLine(e.getOriginalMessage());
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Jackson's location notes say nothing to a person editing settings
        return line.replaceAll("\\s*\\(start marker at \\[Source: REDACTED[^)]*\\)[^)]*\\)", "");
    }
}
