package io.b24bridge.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The administrator guide shows a complete example of each settings section; each is what the appliance's own
 * parser accepts, so an administrator who copies one gets a 200, not a 400.
 */
class AdminGuideExamplesTest {

    private static final Pattern EXAMPLE = Pattern.compile("### `([a-z-]+)`\\R.*?```json\\R(.*?)```", Pattern.DOTALL);

    @Test
    void everySectionHasAnExampleAndEachIsValid() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "admin-guide.md"));
        String examples = guide.substring(guide.indexOf("## A complete example of each section"));
        SettingsJson json = new SettingsJson(Json.newMapper());
        Map<Section, SectionValue> read = new EnumMap<>(Section.class);
        Matcher m = EXAMPLE.matcher(examples);
        while (m.find()) {
            Section section = Section.byKey(m.group(1)).orElseThrow(() -> new AssertionError("no section " + m.group(1)));
            SectionValue value = json.readSection(section, m.group(2).getBytes(StandardCharsets.UTF_8));
            assertTrue(section.type().isInstance(value), section.key());
            read.put(section, value);
        }
        assertEquals(Section.values().length, read.size(), "an example for every section: " + read.keySet());
    }
}
