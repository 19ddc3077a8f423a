package io.b24bridge.settings;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each section accepts and refuses, and how a refusal names the field. */
class SettingsValidationTest {

    private final SettingsJson json = new SettingsJson(Json.newMapper());

    private List<FieldError> refuse(Section section, String body) {
        return assertThrows(InvalidSettingsException.class,
                () -> json.readSection(section, body.getBytes(StandardCharsets.UTF_8))).errors();
    }

    private static boolean has(List<FieldError> errors, String field, String reasonPart) {
        return errors.stream().anyMatch(e -> e.field().equals(field) && e.reason().contains(reasonPart));
    }

    @ParameterizedTest
    @EnumSource(Section.class)
    void everySampleIsValidAndWritesBackToTheSameValue(Section section) {
        SectionValue value = json.readSection(section, SettingsSamples.ALL.get(section).getBytes(StandardCharsets.UTF_8));
        SectionValue again = json.readSection(section, json.write(value).getBytes(StandardCharsets.UTF_8));
        assertEquals(value, again);
    }

    @ParameterizedTest
    @EnumSource(Section.class)
    void everyDefaultIsValid(Section section) {
        Problems p = new Problems();
        section.defaultValue().validate(p);
        assertTrue(p.isEmpty(), p.errors().toString());
    }

    @Test
    void anInboundRouteReportsEveryBadFieldAtOnce() {
        List<FieldError> errors = refuse(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "12ab", "name": "", "leadSource": "web source!",
                             "defaultResponsibleUserId": -4, "fallback": {"type": "EXTENSION"}}]}""");
        assertTrue(has(errors, "routes[0].did", "must be a number"), errors.toString());
        assertTrue(has(errors, "routes[0].name", "is required"), errors.toString());
        assertTrue(has(errors, "routes[0].leadSource", "lead source id"), errors.toString());
        assertTrue(has(errors, "routes[0].defaultResponsibleUserId", "positive"), errors.toString());
        assertTrue(has(errors, "routes[0].fallback.value", "is required"), errors.toString());
    }

    @Test
    void twoRoutesForOneDidAreRefused() {
        List<FieldError> errors = refuse(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "4951", "name": "a", "defaultResponsibleUserId": 1},
                            {"did": "4951", "name": "b", "defaultResponsibleUserId": 1}]}""");
        assertTrue(has(errors, "routes[1].did", "duplicates"), errors.toString());
    }

    @Test
    void unknownFieldsAndWrongTypesAreNamed() {
        List<FieldError> unknown = refuse(Section.CALL_DATA, "{\"showCards\": true}");
        assertTrue(has(unknown, "showCards", "not a known field"), unknown.toString());

        List<FieldError> wrongType = refuse(Section.CALL_DATA, "{\"showCard\": \"yes\"}");
        assertTrue(has(wrongType, "showCard", "true or false"), wrongType.toString());

        List<FieldError> wrongEnum = refuse(Section.CALL_DATA, "{\"numberFormat\": \"ROMAN\"}");
        assertTrue(has(wrongEnum, "numberFormat", "E164"), wrongEnum.toString());

        List<FieldError> nested = refuse(Section.INBOUND_ROUTES,
                "{\"routes\": [{\"did\": \"4951\", \"name\": \"a\", \"defaultResponsibleUserId\": \"one\"}]}");
        assertTrue(has(nested, "routes[0].defaultResponsibleUserId", "whole number"), nested.toString());
    }

    @Test
    void brokenJsonIsReportedAsSuch() {
        List<FieldError> errors = refuse(Section.EXCEPTIONS, "{\"ignoreNumbers\": [");
        assertTrue(errors.getFirst().reason().startsWith("is not valid JSON"), errors.toString());
    }

    @Test
    void taskTemplatesKnowTheirPlaceholdersAndRules() {
        List<FieldError> errors = refuse(Section.TASK_TEMPLATES, """
                {"templates": [{"id": "Missed Call", "title": "Call {client}", "responsibleRule": "FIXED_USER",
                                "deadlineOffsetMinutes": 0, "entityTypes": []}]}""");
        assertTrue(has(errors, "templates[0].id", "lower-case"), errors.toString());
        assertTrue(has(errors, "templates[0].title", "unknown placeholder {client}"), errors.toString());
        assertTrue(has(errors, "templates[0].fixedUserId", "is required"), errors.toString());
        assertTrue(has(errors, "templates[0].deadlineOffsetMinutes", "between 1 and"), errors.toString());
        assertTrue(has(errors, "templates[0].entityTypes", "at least one"), errors.toString());
    }

    @Test
    void theTaskWindowAndWorkingHoursAreChecked() {
        List<FieldError> errors = refuse(Section.TASK_TEMPLATES, """
                {"templates": [], "windowMinutes": 0, "onReturnedCall": "COMPLETE",
                 "workingHours": {"start": "18:00", "end": "9am", "days": [], "timeZone": "Mars/Olympus"}}""");
        assertTrue(has(errors, "windowMinutes", "between 1 and"), errors.toString());
        assertTrue(has(errors, "workingHours.end", "HH:mm"), errors.toString());
        assertTrue(has(errors, "workingHours.days", "at least one day"), errors.toString());
        assertTrue(has(errors, "workingHours.timeZone", "not a time zone"), errors.toString());
        errors = refuse(Section.TASK_TEMPLATES, """
                {"workingHours": {"start": "18:00", "end": "09:00"}}""");
        assertTrue(has(errors, "workingHours.end", "after start"), errors.toString());
    }

    @Test
    void urlRecordingModeNeedsAnHttpsBase() {
        List<FieldError> errors = refuse(Section.CALL_DATA, "{\"recordingMode\": \"URL\"}");
        assertTrue(has(errors, "recordingBaseUrl", "is required"), errors.toString());
        errors = refuse(Section.CALL_DATA, "{\"recordingMode\": \"URL\", \"recordingBaseUrl\": \"http://x\"}");
        assertTrue(has(errors, "recordingBaseUrl", "https"), errors.toString());
    }

    @Test
    void anEnabledCallbackNeedsSomeoneToTakeIt() {
        List<FieldError> errors = refuse(Section.CALLBACK, "{\"enabled\": true, \"retries\": 11}");
        assertTrue(has(errors, "target", "is required"), errors.toString());
        assertTrue(has(errors, "retries", "between 0 and 10"), errors.toString());
    }

    @Test
    void exceptionsTakeNumbersAndPatterns() {
        List<FieldError> errors = refuse(Section.EXCEPTIONS,
                "{\"ignoreNumbers\": [\"_8[9-]X\", \"abc\"], \"ignoreExtensions\": [\"1\", \"101\", \"101\"]}");
        assertTrue(has(errors, "ignoreNumbers[0]", "invalid set"), errors.toString());
        assertTrue(has(errors, "ignoreNumbers[1]", "must be a number"), errors.toString());
        assertTrue(has(errors, "ignoreExtensions[0]", "2 to 8 digits"), errors.toString());
        assertTrue(has(errors, "ignoreExtensions[2]", "duplicates"), errors.toString());
    }

    @Test
    void dialPatternsMatchAsAsteriskDoes() {
        DialPattern p = DialPattern.of("_8495XXXXXXX");
        assertTrue(p.matches("84951234567"));
        assertFalse(p.matches("8495123456"), "one digit short");
        assertTrue(DialPattern.of("_9.").matches("9123"));
        assertFalse(DialPattern.of("_9.").matches("9"), ". is one or more");
        assertTrue(DialPattern.of("_9!").matches("9"), "! is zero or more");
        assertTrue(DialPattern.of("_[1-3]0N").matches("202"));
        assertFalse(DialPattern.of("_[1-3]0N").matches("201"), "N is 2-9");
        assertTrue(DialPattern.of("101").matches("101"));
        assertFalse(DialPattern.of("101").matches("1010"));
    }

    @Test
    void anExactDidWinsOverAPattern() {
        InboundRoutes routes = (InboundRoutes) json.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "_7495XXXXXXX", "name": "all Moscow", "defaultResponsibleUserId": 1},
                            {"did": "74951234567", "name": "the ad number", "defaultResponsibleUserId": 2}]}"""
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("the ad number", routes.routeFor("74951234567").orElseThrow().name());
        assertEquals("all Moscow", routes.routeFor("74957654321").orElseThrow().name());
        assertTrue(routes.routeFor("78121234567").isEmpty());
    }

    @Test
    void routingRefusesWhatWouldBreakTheDialplanAndNamesEachField() {
        List<FieldError> errors = refuse(Section.ROUTING, """
                {"deadlineMs": 20000, "responsibleRingSeconds": 1, "extensionDial": "PJSIP/101",
                 "mobileDial": "PJSIP/{number}@trunk,30", "mobileTrunk": "my trunk", "mobileCallerId": "company",
                 "mobileField": "mobile", "ratingPrompt": "rate,me", "ratingWaitSeconds": 600}""");
        assertTrue(has(errors, "deadlineMs", "between 100 and 10000"), errors.toString());
        assertTrue(has(errors, "responsibleRingSeconds", "between 3"), errors.toString());
        assertTrue(has(errors, "extensionDial", "must contain {extension}"), errors.toString());
        assertTrue(has(errors, "mobileDial", "without commas"), errors.toString());
        assertTrue(has(errors, "mobileTrunk", "trunk"), errors.toString());
        assertTrue(has(errors, "mobileCallerId", "number"), errors.toString());
        assertTrue(has(errors, "mobileField", "PERSONAL_MOBILE"), errors.toString());
        assertTrue(has(errors, "ratingPrompt", "sound names"), errors.toString());
        assertTrue(has(errors, "ratingWaitSeconds", "between 0 and 120"), errors.toString());
    }

    @Test
    void routingDefaultsAreTheDocumentedOnes() {
        Routing r = (Routing) json.readSection(Section.ROUTING, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(1500, r.deadlineMs());
        assertEquals("PJSIP/{extension}", r.extensionDial());
        assertEquals("PJSIP/{number}@{trunk}", r.mobileDial());
        assertEquals("PERSONAL_MOBILE", r.mobileField());
        assertEquals(20, r.ratingWaitSeconds());
    }

    @Test
    void aRouteWithoutTheRoutingFieldsLeavesTheCallToThePbx() {
        InboundRoutes routes = (InboundRoutes) json.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "Old", "defaultResponsibleUserId": 1}]}"""
                .getBytes(StandardCharsets.UTF_8));
        InboundRoutes.Route r = routes.routes().getFirst();
        assertFalse(r.routeToResponsible());
        assertFalse(r.offerRating());
        assertEquals(InboundRoutes.UnknownCallers.DEFAULT_RESPONSIBLE, r.unknownCallers());
    }

    /** Review probe P3's template (F2c): every routed call would also ring an outside number. */
    @Test
    void aDialStringThatRingsAnotherChannelIsRefused() {
        List<FieldError> errors = refuse(Section.ROUTING, """
                {"extensionDial": "PJSIP/{extension}&PJSIP/mts/79990000000"}""");
        assertTrue(has(errors, "extensionDial", "'&' would ring another channel"), errors.toString());
        errors = refuse(Section.ROUTING, """
                {"extensionDial": "PJSIP/{extension}&PJSIP/mts/79990000000", "dialTrunks": ["mts"]}""");
        assertTrue(has(errors, "extensionDial", "listed in dialTrunks"), "a fixed number stays refused: " + errors);
        errors = refuse(Section.ROUTING, """
                {"extensionDial": "PJSIP/{extension}&PJSIP/mts/7999{extension}", "dialTrunks": ["mts"]}""");
        assertTrue(has(errors, "extensionDial", "listed in dialTrunks"), "digits around the placeholder: " + errors);
        errors = refuse(Section.ROUTING, """
                {"extensionDial": "PJSIP/{extension}&PJSIP/{extension}@evil", "dialTrunks": ["office2"]}""");
        assertTrue(has(errors, "extensionDial", "listed in dialTrunks"), "a trunk not listed: " + errors);
        errors = refuse(Section.ROUTING, """
                {"dialTrunks": ["office 2", null]}""");
        assertTrue(has(errors, "dialTrunks[0]", "trunk"), errors.toString());
        assertTrue(has(errors, "dialTrunks[1]", "trunk"), errors.toString());
    }

    @Test
    void severalDestinationsThroughListedTrunksAreAccepted() {
        Routing r = (Routing) json.readSection(Section.ROUTING, """
                {"extensionDial": "PJSIP/{extension}&PJSIP/{extension}@office2",
                 "mobileDial": "PJSIP/{number}@{trunk}&PJSIP/backup/{number}", "mobileTrunk": "mts",
                 "dialTrunks": ["office2", "backup"]}""".getBytes(StandardCharsets.UTF_8));
        assertEquals("PJSIP/{extension}&PJSIP/{extension}@office2", r.extensionDial());
        assertEquals(List.of("office2", "backup"), r.dialTrunks());
    }
}
