package io.b24bridge.settings;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Refuses characters no setting needs and a reader cannot see: control characters (NUL, ESC, CR…) and invisible
 * formatting characters (the bidi overrides that make {@code evil} read as {@code live}, zero-width joiners).
 * Settings' texts go into Bitrix24 tasks and comments and into the panel, where such characters disguise what an
 * administrator reads. A task template's {@code description} may hold line breaks and tabs: it is a text.
 */
final class Texts {

    private Texts() {
    }

    /** Checks every text in a section's value (as JSON), reporting each offending field by its path. */
    static void check(JsonNode value, Problems problems) {
        walk(value, "", problems);
    }

    private static void walk(JsonNode node, String path, Problems problems) {
        if (node.isTextual()) {
            String field = path.isEmpty() ? "(section)" : path;
            boolean multiLine = field.endsWith("description");
            invisible(node.asText(), multiLine).ifPresent(cp -> problems.add(field, String.format(
                    "holds an invisible or control character (U+%04X): type it out or leave it out", cp)));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", problems);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), problems);
            }
        }
    }

    private static java.util.Optional<Integer> invisible(String text, boolean multiLine) {
        return text.codePoints()
                .filter(c -> !(multiLine && (c == '\n' || c == '\t' || c == '\r')))
                .filter(c -> Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT)
                .boxed()
                .findFirst();
    }
}
