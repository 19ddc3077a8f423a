package io.b24bridge.calls;

/**
 * A call's identity: the PBX it happens on and Asterisk's Linkedid, shared by every channel of the call.
 * Several PBXs may feed one appliance, so the PBX id namespaces the Linkedid.
 */
public record CallKey(String pbx, String linkedid) {

    public CallKey {
        if (pbx == null || pbx.isBlank() || linkedid == null || linkedid.isBlank()) {
            throw new IllegalArgumentException("a call key needs a PBX id and a Linkedid");
        }
    }

    /** The PBX's own id of the physical call, sent to Bitrix24 as EXTERNAL_CALL_ID (contract §2). */
    public String externalCallId() {
        return pbx + ":" + linkedid;
    }

    public static CallKey parse(String externalCallId) {
        int colon = externalCallId.indexOf(':');
        return new CallKey(externalCallId.substring(0, colon), externalCallId.substring(colon + 1));
    }

    @Override
    public String toString() {
        return externalCallId();
    }
}
