package io.b24bridge.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The schema's Quartz tables are the ones the Quartz jar itself ships for Derby, statement for statement. */
class JobsSchemaTest {

    @Test
    void theMigrationCreatesQuartzsOwnDerbyTables() throws IOException {
        List<String> quartz = statements(read("org/quartz/impl/jdbcjobstore/tables_derby.sql"));
        List<String> ours = statements(read("db/migrations/V010__jobs.sql")).stream()
                .filter(s -> s.startsWith("create table qrtz_")).toList();
        assertEquals(11, quartz.size(), "Quartz's script has its eleven tables");
        assertEquals(quartz, ours);
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = JobsSchemaTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Statements without comments, lower case, whitespace collapsed. */
    private static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append(' ');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : text.toString().split(";")) {
            String t = s.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")")
                    .toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
