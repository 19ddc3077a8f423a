package io.b24bridge.pbx;

import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

/** Turns an {@link OriginateRequest} into the AMI action and the PBX's answer into an {@link OriginateResult}. */
final class Originates {

    private Originates() {
    }

    static OriginateAction action(OriginateRequest r) {
        OriginateAction a = new OriginateAction();
        a.setChannel(r.channel());
        a.setContext(r.context());
        a.setExten(r.exten());
        a.setPriority(r.priority());
        a.setTimeout(r.ringTimeout().toMillis());
        a.setAsync(true); // the answer comes as an OriginateResponse event; the PBX's manager thread is not held
        r.callerId().ifPresent(a::setCallerId);
        r.channelId().ifPresent(a::setChannelId);
        if (!r.variables().isEmpty()) {
            a.setVariables(r.variables());
        }
        return a;
    }

    static OriginateResult result(ResponseEvents answer) {
        ManagerResponse response = answer.getResponse();
        if (response instanceof ManagerError || (response != null && "Error".equalsIgnoreCase(response.getResponse()))) {
            return OriginateResult.refused(response.getMessage());
        }
        for (ResponseEvent e : answer.getEvents()) {
            if (e instanceof OriginateResponseEvent o) {
                int reason = o.getReason() == null ? 0 : o.getReason();
                boolean success = "Success".equalsIgnoreCase(o.getResponse());
                return new OriginateResult(success, reason, o.getChannel(), o.getUniqueId(),
                        OriginateResult.describe(reason));
            }
        }
        return new OriginateResult(false, 0, null, null, "the PBX sent no OriginateResponse");
    }
}
