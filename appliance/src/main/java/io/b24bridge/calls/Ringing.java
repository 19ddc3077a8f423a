package io.b24bridge.calls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per extension, the legs of one call ringing for it now: a FreePBX ring group rings 101 through a Local and a
 * PJSIP leg, yet the person sees one ringing phone. An extension starts ringing with its first leg and stops
 * with its last.
 */
final class Ringing {

    private final Map<String, List<String>> legsByExtension = new HashMap<>();

    /** The leg rings; true when it is the first to ring for its extension. */
    boolean start(Leg leg) {
        leg.ringing = true;
        List<String> same = legsByExtension.computeIfAbsent(leg.ringsFor(), e -> new ArrayList<>());
        same.add(leg.uniqueid);
        return same.size() == 1;
    }

    /** The leg stops ringing (if it rang); true when its extension rings no more. */
    boolean stop(Leg leg) {
        if (!leg.ringing) {
            return false;
        }
        leg.ringing = false;
        String ext = leg.ringsFor();
        List<String> same = legsByExtension.get(ext);
        if (same == null) {
            return false;
        }
        same.remove(leg.uniqueid);
        if (same.isEmpty()) {
            legsByExtension.remove(ext);
            return true;
        }
        return false;
    }
}
