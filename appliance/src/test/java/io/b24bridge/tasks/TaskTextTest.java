package io.b24bridge.tasks;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A template's title and description, filled from the call. */
class TaskTextTest {

    @Test
    void everyPlaceholderBecomesItsValue() {
        assertEquals("Call back Sergey Kuznetsov (+79162000001): tried 5 times, last at 14:05",
                TaskText.render("Call back {entityName} ({phone}): tried {tries} times, last at {time}",
                        Map.of("entityName", "Sergey Kuznetsov", "phone", "+79162000001", "tries", "5",
                                "time", "14:05")));
    }

    @Test
    void aPlaceholderWithoutAValueBecomesEmptyNeverRawBraces() {
        assertEquals("Missed call on  from +7", TaskText.render("Missed call on {route} from {phone}",
                Map.of("phone", "+7")));
    }

    @Test
    void valuesAreTakenLiterallyEvenWithDollarSignsAndBackslashes() {
        assertEquals("Client: Rom$1 \\LLC", TaskText.render("Client: {entityName}", Map.of("entityName", "Rom$1 \\LLC")));
    }

    @Test
    void textWithoutPlaceholdersAndAnEmptyTemplateStayAsTheyAre() {
        assertEquals("Call the client back", TaskText.render("Call the client back", Map.of("tries", "2")));
        assertEquals("", TaskText.render(null, Map.of()));
    }
}
