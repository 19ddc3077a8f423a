package io.b24bridge.routing;

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

    public DialTarget {
        options = options == null ? "" : options;
    }

    @Override
    public String toString() {
        return kind + " " + dial + " " + ringSeconds + "s" + (mobileOf != null ? " (mobile of " + mobileOf + ")" : "");
    }
}
