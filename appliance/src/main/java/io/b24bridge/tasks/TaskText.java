package io.b24bridge.tasks;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a template's title or description: every {@code {name}} becomes its value (the names are
 * {@link io.b24bridge.settings.TaskTemplates#PLACEHOLDERS}, checked when the settings are saved); one without a
 * value becomes empty, never the raw braces.
 */
public final class TaskText {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private TaskText() {
    }

    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template == null ? "" : template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
