package io.b24bridge.calls;

import io.b24bridge.calls.CallEvent.Direction;

/**
 * Who a call is between, decided from its first legs: the direction, the client's number, the DID, the calling
 * extension, the trunk. Owned by its {@link Call}; the dialplan's variables (B24_DID, B24_NUMBER) may set the
 * DID and the number before the call is announced.
 */
final class Parties {

    Direction direction;
    String did;
    String clientNumber;
    String extension;
    String trunk;
    /** The CALL_ID Bitrix24 gave a click-to-call the appliance originated (B24_CALL_ID), else null. */
    String givenCallId;
    /**
     * A website callback the appliance originated (B24_CALLBACK): its operator side rings first and is nothing for the
     * CRM until an operator answers — the dialplan then sets B24_CALL_ID (the callback's registered call) and dials
     * the client; an attempt nobody took is not a call (the appliance retries it, then finishes it as missed).
     */
    boolean callback;

    /**
     * Decides the direction at the first dial of {@code origin} (the call's first leg, or null) to {@code dest}:
     * false when the dial says nothing yet (plumbing, an originate's first leg), the next one will.
     */
    boolean decide(Leg origin, Leg dest, CallFact.DialBegin f) {
        if (callback) {
            if (givenCallId == null || !dest.isTrunk()) {
                return false; // the operators' phones ring (directly, or a queue's or ring group's through Local)
            }
            if (origin != null && origin.isPhone()) {
                extension = origin.extension; // else the dialling model named the operator who answered
            }
            outbound(extension, dest.trunk, clientNumber != null ? clientNumber : Leg.dialledNumber(f.dialString(),
                    null));
            return true;
        }
        if (givenCallId != null && origin != null && origin.isPhone() && (dest == origin || dest.isTrunk())) {
            // click-to-call: the originate rings the operator's phone first (a dial with no caller, of the first
            // leg itself); the client, dialled once they answer, is the number the click named (B24_NUMBER)
            clicked(origin, dest.isTrunk() ? dest.trunk : null);
            return true;
        }
        if (origin != null && origin.isPhone()) {
            if (dest.isTrunk()) {
                outbound(origin.extension, dest.trunk,
                        clientNumber != null ? clientNumber : Leg.dialledNumber(f.dialString(), origin.exten));
            } else if (dest.isPhone()) {
                direction = Direction.INTERNAL;
                extension = origin.extension;
                clientNumber = dest.extension;
            } else {
                return false; // dialling plumbing (a Local channel to an outbound route): wait for the real leg
            }
            return true;
        }
        if (!dest.isPhone() && !dest.isTrunk()) {
            return false; // an originate's first leg or plumbing: the real destination comes next
        }
        if (did == null && f.callerExten() != null && f.callerExten().matches("\\+?[0-9]{3,}")) {
            did = f.callerExten();
        }
        // the trunk's own caller ID first: a PBX dialplan may decorate the caller ID before it dials
        if (clientNumber == null && (origin == null || origin.callerNumber == null)) {
            clientNumber = Leg.blankToNull(f.callerNumber());
        }
        inbound(origin);
        return true;
    }

    /** The call came from outside: the client is the originator's caller, the DID what it dialled. */
    void inbound(Leg origin) {
        direction = Direction.INBOUND;
        if (origin != null) {
            if (clientNumber == null) {
                clientNumber = origin.callerNumber;
            }
            if (did == null && origin.exten != null && origin.exten.matches("\\+?[0-9]{3,}")) {
                did = origin.exten;
            }
            trunk = origin.trunk;
        }
    }

    /** A click-to-call: the operator's extension calls the clicked number, through the trunk once it is dialled. */
    void clicked(Leg operatorLeg, String viaTrunk) {
        outbound(operatorLeg.extension, viaTrunk, clientNumber != null ? clientNumber : operatorLeg.exten);
    }

    /** The extension calls the client through this trunk. */
    void outbound(String callingExtension, String viaTrunk, String dialled) {
        direction = Direction.OUTBOUND;
        extension = callingExtension;
        trunk = viaTrunk;
        clientNumber = dialled;
    }
}
