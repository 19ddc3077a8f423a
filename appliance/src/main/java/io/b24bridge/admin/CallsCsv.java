package io.b24bridge.admin;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The calls list as CSV (RFC 4180: comma, CRLF, quotes doubled), for a spreadsheet. A cell that a spreadsheet
 * would take for a formula (starting with = + - @) is prefixed with ' — the client's number comes from outside.
 */
final class CallsCsv {

    static final List<String> COLUMNS = List.of("startedAt", "direction", "clientNumber", "did", "route",
            "leadSource", "operator", "status", "waitSeconds", "talkSeconds", "vote", "bitrixCallId");

    private CallsCsv() {
    }

    static String of(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Map<String, Object> r : rows) {
            out.append(COLUMNS.stream().map(c -> cell(r.get(c))).collect(Collectors.joining(","))).append("\r\n");
        }
        return out.toString();
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.matches("[+-]?[0-9]+")) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
