package io.b24bridge.click;

import java.util.Map;
import java.util.regex.Pattern;

import io.b24bridge.calls.DialValues;

/**
 * What an {@code OnExternalCallStart} asks, every value that reaches the PBX checked first: the CALL_ID becomes a
 * channel variable (a comma or a pipe there would set other variables), the number an extension in the dialplan, the
 * user's inner number part of a channel name. Anything else in the event is not used.
 *
 * @param callId     the CALL_ID the box registered the call under (contract §3: do not register again)
 * @param userId     the clicking user (USER_ID); their inner number is their phone — EXTENSION is the dialled number's
 *                   extension part, not theirs (box behaviour §0 item 13)
 * @param number     the client's number as the dialplan dials it: digits only (from PHONE_NUMBER_INTERNATIONAL,
 *                   else PHONE_NUMBER)
 * @param lineNumber the external line the click went through (LINE_NUMBER; empty for the application's own line)
 * @param callListId the call list the click came from (CALL_LIST_ID), 0 when none
 * @param mobile     the click came from the Bitrix24 mobile app (IS_MOBILE)
 */
public record ClickRequest(String callId, int userId, String number, String lineNumber, int callListId,
                           boolean mobile) {

    static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** An event this appliance will not act on, and why (a sentence for the log and /health). */
    public static final class Refused extends Exception {

        public Refused(String message) {
            super(message);
        }
    }

    /** Reads and checks the event's data; {@link Refused} names what is wrong. */
    public static ClickRequest of(Map<String, String> data) throws Refused {
        String callId = text(data, "CALL_ID");
        if (!CALL_ID.matcher(callId).matches()) {
            throw new Refused("the event has no usable CALL_ID ('" + shorten(callId) + "')");
        }
        int user;
        try {
            user = Integer.parseInt(text(data, "USER_ID"));
        } catch (NumberFormatException e) {
            throw new Refused("the event has no usable USER_ID ('" + shorten(text(data, "USER_ID")) + "')");
        }
        if (user <= 0) {
            throw new Refused("the event has no usable USER_ID ('" + user + "')");
        }
        String given = text(data, "PHONE_NUMBER_INTERNATIONAL");
        if (given.isEmpty()) {
            given = text(data, "PHONE_NUMBER");
        }
        String number = digits(given);
        if (number == null) {
            throw new Refused("the number '" + shorten(given) + "' is not a phone number the PBX can dial");
        }
        String line = text(data, "LINE_NUMBER");
        if (!DialValues.line(line)) {
            throw new Refused("the line '" + shorten(line) + "' is not a line number");
        }
        int callList;
        try {
            callList = text(data, "CALL_LIST_ID").isEmpty() ? 0 : Integer.parseInt(text(data, "CALL_LIST_ID"));
        } catch (NumberFormatException e) {
            callList = 0; // only ever told back to the box, never dialled: a garbled one is dropped
        }
        String mobile = text(data, "IS_MOBILE");
        return new ClickRequest(callId, user, number, line, callList,
                mobile.equals("1") || mobile.equalsIgnoreCase("true") || mobile.equalsIgnoreCase("Y"));
    }

    /**
     * The digits of a phone number written the usual ways ({@code +7 (916) 111-22-33}), or null when anything else
     * is in it (letters, commas, {@code &}, {@code /}: what would change a dial string) or it has not 5 to 15 digits.
     */
    static String digits(String number) {
        // the one check of what may meet a dial string (calls.DialValues, also routing's), then digits only
        return DialValues.phone(number).map(n -> n.replaceAll("[^0-9]", "")).orElse(null);
    }

    private static String text(Map<String, String> data, String key) {
        String v = data.get(key);
        return v == null ? "" : v.strip();
    }

    private static String shorten(String s) {
        return DialValues.printable(s);
    }
}
