package io.b24bridge.settings;

import java.util.Map;

/** A realistic, valid value of every section: what an administrator of a small call centre would set. */
public final class SettingsSamples {

    private SettingsSamples() {
    }

    public static final String INBOUND_ROUTES = """
            {"routes": [
              {"did": "74951234567", "name": "Website Moscow", "leadSource": "WEB",
               "defaultResponsibleUserId": 1, "crmCreate": true,
               "fallback": {"type": "QUEUE", "value": "support"}, "forwardToMobile": true, "showCardTo": "RINGING",
               "routeToResponsible": true, "unknownCallers": "DEFAULT_RESPONSIBLE", "offerRating": true},
              {"did": "_7812XXXXXXX", "name": "Saint Petersburg office", "leadSource": "CALL",
               "defaultResponsibleUserId": 3, "crmCreate": false,
               "fallback": {"type": "EXTENSIONS", "value": "101,102"}, "forwardToMobile": false,
               "showCardTo": "RESPONSIBLE", "routeToResponsible": true, "unknownCallers": "FALLBACK"}
            ]}""";

    public static final String OUTBOUND_ROUTES = """
            {"routes": [
              {"prefix": "_8X.", "trunk": "trunk", "crmCreate": true, "lineNumber": "74951234567"},
              {"prefix": "_+7X.", "crmCreate": false, "lineNumber": "74951234567"}
            ]}""";

    public static final String CLICK_TO_CALL = """
            {"enabled": true, "originateContext": "from-internal", "callerId": "\\"CRM\\" <74951234567>",
             "operatorRingTimeoutSeconds": 25, "clientRingTimeoutSeconds": 40}""";

    public static final String CALLBACK = """
            {"enabled": true, "target": {"type": "QUEUE", "value": "support"}, "retries": 3,
             "retryIntervalSeconds": 300, "callerId": "74951234567", "operatorRingTimeoutSeconds": 20}""";

    public static final String CALL_DATA = """
            {"showCard": true, "addToChat": false, "numberFormat": "E164", "countryCode": "7",
             "nationalPrefix": "8", "areaCode": "495", "uploadRecordings": true, "recordingMode": "UPLOAD",
             "trackInternalCalls": false}""";

    public static final String TASK_TEMPLATES = """
            {"templates": [
              {"id": "missed-call", "enabled": true, "title": "Call back {phone}",
               "description": "Missed call on {did} ({route}) at {time}, waited {waitSeconds} s",
               "deadlineOffsetMinutes": 30, "responsibleRule": "CRM_RESPONSIBLE",
               "entityTypes": ["LEAD", "CONTACT", "COMPANY"]},
              {"id": "vip", "title": "VIP missed call {entityName}: {tries} tries", "deadlineOffsetMinutes": 10,
               "responsibleRule": "FIXED_USER", "fixedUserId": 7, "entityTypes": ["COMPANY"]}
            ],
             "windowMinutes": 240, "onReturnedCall": "ANNOTATE",
             "workingHours": {"start": "09:00", "end": "18:00", "days": ["MONDAY", "FRIDAY"], "timeZone": "Europe/Moscow"}}""";

    public static final String EXCEPTIONS = """
            {"ignoreNumbers": ["74950000000", "_8800XXXXXXX"], "ignoreExtensions": ["199", "_9XX"]}""";

    public static final String ROUTING = """
            {"deadlineMs": 1200, "cacheTtlSeconds": 600, "negativeTtlSeconds": 120, "responsibleRingSeconds": 15,
             "mobileRingSeconds": 20, "fallbackRingSeconds": 90, "extensionDial": "PJSIP/{extension}",
             "mobileDial": "PJSIP/{number}@{trunk}", "mobileTrunk": "megafon", "mobileCallerId": "74951234567",
             "queueDial": "Local/{queue}@b24bridge-queue/n", "ringGroupDial": "Local/{group}@b24bridge-group/n",
             "skipClosedWorkday": true, "mobileField": "UF_MOBILE", "ratingPrompt": "custom/rate-us&beep",
             "ratingKeySeconds": 6, "ratingWaitSeconds": 15}""";

    public static final Map<Section, String> ALL = Map.of(
            Section.INBOUND_ROUTES, INBOUND_ROUTES,
            Section.OUTBOUND_ROUTES, OUTBOUND_ROUTES,
            Section.CLICK_TO_CALL, CLICK_TO_CALL,
            Section.CALLBACK, CALLBACK,
            Section.CALL_DATA, CALL_DATA,
            Section.TASK_TEMPLATES, TASK_TEMPLATES,
            Section.EXCEPTIONS, EXCEPTIONS,
            Section.ROUTING, ROUTING);
}
