package io.b24bridge.routing;

import java.util.regex.Pattern;

/**
 * One destination the dialplan rings, in turn, until one answers.
 *
 * @param kind        what it is (for the log and the dialplan's variables)
 * @param dial        the Dial() destination, e.g. {@code PJSIP/101} or {@code PJSIP/79161110101@trunk}
 * @param ringSeconds how long it rings
 * @param mobileOf    for a responsible's mobile: the responsible's extension (the call model attributes the
 *                    trunk leg to it); else null
 * @param options     extra Dial() options for this target (e.g. {@code f(74951234567)}: the caller ID a mobile
 *                    sees), or empty
 */
public record DialTarget(Kind kind, String dial, int ringSeconds, String mobileOf, String options) {

    /** What a target is. */
    public enum Kind { RESPONSIBLE, MOBILE, FALLBACK }

    /** What may reach Dial()'s first argument: never a comma, parenthesis, quote or blank (they split its arguments). */
    private static final Pattern DIAL = Pattern.compile("[^,()\"'\\s]{1,1000}");
    /** The only options a target carries: the caller ID a mobile sees. */
    private static final Pattern OPTIONS = Pattern.compile("(f\\(\\+?[0-9]{2,20}\\))?");

    /**
     * The last line of defence: values were checked before they met the template (calls.DialValues) and templates
     * when they were saved; a target that still holds a Dial() separator is a bug, and is not handed to the PBX.
     */
    public DialTarget {
        options = options == null ? "" : options;
        if (dial == null || !DIAL.matcher(dial).matches() || !OPTIONS.matcher(options).matches()
                || (mobileOf != null && !mobileOf.matches("[0-9]{2,8}"))) {
            throw new IllegalArgumentException("not a safe Dial() target: " + kind);
        }
    }

    @Override
    public String toString() {
        return kind + " " + dial + " " + ringSeconds + "s" + (mobileOf != null ? " (mobile of " + mobileOf + ")" : "");
    }
}
