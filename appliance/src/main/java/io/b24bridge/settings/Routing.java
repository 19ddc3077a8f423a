package io.b24bridge.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the appliance routes inbound calls (FastAGI, asked by the dialplan when a call enters a DID) and runs
 * the caller's rating. Which DIDs are routed, and to whom when the caller is unknown, is per route
 * ({@link InboundRoutes.Route}); this section holds what all routes share.
 *
 * @param deadlineMs             the AGI answer never waits for Bitrix24 longer than this: after it, the answer comes
 *                               from the cache or the route's defaults and the call goes on
 * @param cacheTtlSeconds        how long a number's responsible, once read from Bitrix24, is used without asking again
 * @param negativeTtlSeconds     the same for a number Bitrix24 does not know (it may become a lead any moment)
 * @param responsibleRingSeconds how long the responsible's extension rings
 * @param mobileRingSeconds      how long the responsible's mobile rings
 * @param fallbackRingSeconds    how long the route's fallback (queue, ring group, extensions) rings
 * @param extensionDial          the dial string of an extension: {@code {extension}} is replaced
 * @param mobileDial             the dial string of a mobile through the trunk: {@code {number}} (digits of the E.164
 *                               number, no +), {@code {e164}} (+79161234567), {@code {national}} (89161234567),
 *                               {@code {trunk}}
 * @param mobileTrunk            the trunk mobiles are called through ({@code {trunk}}); empty: no forwarding
 * @param mobileCallerId         the caller ID the mobile sees; empty = the client's own number (the trunk must allow
 *                               foreign caller IDs; where it does not, the company's number)
 * @param queueDial              the dial string of a queue fallback: {@code {queue}}
 * @param ringGroupDial          the dial string of a ring group fallback: {@code {group}}
 * @param skipClosedWorkday      a responsible whose workday is closed in Bitrix24 is not rung at the desk (the mobile
 *                               or the fallback is tried straight away)
 * @param mobileField            the Bitrix24 user field holding the mobile number (PERSONAL_MOBILE, WORK_PHONE,
 *                               PERSONAL_PHONE or a UF_ field)
 * @param ratingPrompt           the sound the rating IVR plays (Asterisk sound names, {@code &} between several)
 * @param ratingKeySeconds       how long the IVR waits for the key after the prompt
 * @param ratingWaitSeconds      how long the call's finish waits for the rating after the operator hung up; a later
 *                               rating becomes a comment on the CRM entity's timeline
 * @param dialTrunks             the trunks (or dialplan contexts) a dial string may name when it rings several
 *                               destinations at once ({@code &}); empty: every dial string is one destination
 */
public record Routing(Integer deadlineMs, Integer cacheTtlSeconds, Integer negativeTtlSeconds,
                      Integer responsibleRingSeconds, Integer mobileRingSeconds, Integer fallbackRingSeconds,
                      String extensionDial, String mobileDial, String mobileTrunk, String mobileCallerId,
                      String queueDial, String ringGroupDial, Boolean skipClosedWorkday, String mobileField,
                      String ratingPrompt, Integer ratingKeySeconds, Integer ratingWaitSeconds,
                      List<String> dialTrunks)
        implements SectionValue {

    public static final Routing DEFAULT = new Routing(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);
    /** More trunks than any site has: the list is checked on every settings change. */
    static final int MAX_DIAL_TRUNKS = 50;

    private static final Pattern TRUNK = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern FIELD = Pattern.compile("PERSONAL_MOBILE|WORK_PHONE|PERSONAL_PHONE|UF_[A-Z0-9_]{1,60}");
    /** Sound names: letters, digits, / _ - and & between several; no commas or quotes (they would break Read()). */
    private static final Pattern PROMPT = Pattern.compile("[A-Za-z0-9_/-]+(&[A-Za-z0-9_/-]+)*");
    /** Dial strings go into Dial() as they are: no commas, parentheses or quotes that would change its arguments. */
    private static final Pattern DIAL = Pattern.compile("[^,()\"'\\s]{1,200}");
    /**
     * One of several destinations rung at once: {@code TECH/{x}}, {@code TECH/{x}@name} or {@code TECH/name/{x}},
     * where {@code {x}} is the dial string's placeholder and {@code name} a listed trunk (or {@code {trunk}}).
     */
    private static final Pattern PART = Pattern.compile("([A-Za-z0-9]+)/(?:(\\{[a-z0-9]+\\})(?:@([^/@&]+))?"
            + "|([^/@&]+)/(\\{[a-z0-9]+\\}))(/n)?");

    public Routing {
        deadlineMs = Objects.requireNonNullElse(deadlineMs, 1500);
        cacheTtlSeconds = Objects.requireNonNullElse(cacheTtlSeconds, 300);
        negativeTtlSeconds = Objects.requireNonNullElse(negativeTtlSeconds, 60);
        responsibleRingSeconds = Objects.requireNonNullElse(responsibleRingSeconds, 20);
        mobileRingSeconds = Objects.requireNonNullElse(mobileRingSeconds, 25);
        fallbackRingSeconds = Objects.requireNonNullElse(fallbackRingSeconds, 60);
        extensionDial = blankTo(extensionDial, "PJSIP/{extension}");
        mobileDial = blankTo(mobileDial, "PJSIP/{number}@{trunk}");
        mobileTrunk = blankTo(mobileTrunk, null);
        mobileCallerId = blankTo(mobileCallerId, null);
        queueDial = blankTo(queueDial, "Local/{queue}@b24bridge-queue/n");
        ringGroupDial = blankTo(ringGroupDial, "Local/{group}@b24bridge-group/n");
        skipClosedWorkday = Objects.requireNonNullElse(skipClosedWorkday, Boolean.FALSE);
        mobileField = blankTo(mobileField, "PERSONAL_MOBILE");
        ratingPrompt = blankTo(ratingPrompt, "beep");
        ratingKeySeconds = Objects.requireNonNullElse(ratingKeySeconds, 5);
        ratingWaitSeconds = Objects.requireNonNullElse(ratingWaitSeconds, 20);
        dialTrunks = dialTrunks == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dialTrunks));
    }

    private static String blankTo(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip();
    }

    @Override
    public void validate(Problems p) {
        p.range("deadlineMs", deadlineMs, 100, 10_000);
        p.range("cacheTtlSeconds", cacheTtlSeconds, 0, 86_400);
        p.range("negativeTtlSeconds", negativeTtlSeconds, 0, 86_400);
        p.range("responsibleRingSeconds", responsibleRingSeconds, 3, 300);
        p.range("mobileRingSeconds", mobileRingSeconds, 3, 300);
        p.range("fallbackRingSeconds", fallbackRingSeconds, 3, 3_600);
        if (dialTrunks.size() > MAX_DIAL_TRUNKS) {
            p.add("dialTrunks", "lists more than " + MAX_DIAL_TRUNKS + " trunks");
        }
        for (int i = 0; i < dialTrunks.size(); i++) {
            String t = dialTrunks.get(i);
            if (t == null || !TRUNK.matcher(t).matches()) {
                p.add("dialTrunks[" + i + "]", "must be a trunk (endpoint) or context name: letters, digits, _ . and -");
            }
        }
        dial(p, "extensionDial", extensionDial, "{extension}");
        dial(p, "mobileDial", mobileDial, "{number}", "{e164}", "{national}");
        dial(p, "queueDial", queueDial, "{queue}");
        dial(p, "ringGroupDial", ringGroupDial, "{group}");
        if (mobileTrunk != null && !TRUNK.matcher(mobileTrunk).matches()) {
            p.add("mobileTrunk", "must be a trunk (endpoint) name: letters, digits, _ . and -");
        }
        if (mobileCallerId != null && !mobileCallerId.matches("\\+?[0-9]{2,20}")) {
            p.add("mobileCallerId", "must be a number (2 to 20 digits, optional +) or empty for the client's own");
        }
        if (!FIELD.matcher(mobileField).matches()) {
            p.add("mobileField", "must be PERSONAL_MOBILE, WORK_PHONE, PERSONAL_PHONE or a user field UF_…");
        }
        if (!PROMPT.matcher(ratingPrompt).matches()) {
            p.add("ratingPrompt", "must be Asterisk sound names (letters, digits, / _ -), several joined by &");
        }
        p.range("ratingKeySeconds", ratingKeySeconds, 1, 30);
        p.range("ratingWaitSeconds", ratingWaitSeconds, 0, 120);
    }

    private void dial(Problems p, String field, String value, String... placeholders) {
        if (!DIAL.matcher(value).matches()) {
            p.add(field, "must be one Dial() destination without commas, parentheses, quotes or spaces");
            return;
        }
        if (value.contains("&") && !severalDestinations(value, List.of(placeholders))) {
            p.add(field, dialTrunks.isEmpty()
                    ? "must be one Dial() destination: '&' would ring another channel with every call; to ring "
                    + "several at once, list the trunks they use in dialTrunks"
                    : "with '&', each destination must be TECH/" + placeholders[0] + ", TECH/" + placeholders[0]
                    + "@trunk or TECH/trunk/" + placeholders[0] + " with the trunk listed in dialTrunks");
            return;
        }
        boolean any = false;
        for (String ph : placeholders) {
            any |= value.contains(ph);
        }
        if (!any) {
            p.add(field, "must contain " + String.join(" or ", placeholders));
        }
    }

    /**
     * A dial string with {@code &}: allowed only when trunks are listed, and then each destination holds the
     * placeholder and names no trunk that is not listed, so no destination can be a fixed outside number.
     */
    private boolean severalDestinations(String value, List<String> placeholders) {
        if (dialTrunks.isEmpty()) {
            return false;
        }
        for (String part : value.split("&", -1)) {
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                return false;
            }
            String placeholder = m.group(2) != null ? m.group(2) : m.group(5);
            String trunk = m.group(3) != null ? m.group(3) : m.group(4);
            if (!placeholders.contains(placeholder)
                    || (trunk != null && !trunk.equals("{trunk}") && !dialTrunks.contains(trunk))) {
                return false;
            }
        }
        return true;
    }
}
