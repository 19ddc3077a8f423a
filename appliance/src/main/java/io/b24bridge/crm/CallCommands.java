package io.b24bridge.crm;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.PhoneNumbers;
import io.b24bridge.crm.CallCrmState.Builder;
import io.b24bridge.settings.CallData;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.OutboundRoutes;
import io.b24bridge.settings.Settings;

/**
 * What one call needs at its turning points — its terms at the start (route, lead source, exceptions), register
 * (and whose card pops), finish (and whom it goes to), the recording — decided from the call's working state and
 * the settings. The {@link CrmLifecycle} calls
 * them; they touch only the one call.
 */
final class CallCommands {

    private static final Logger LOG = Logger.getLogger(CrmLifecycle.class.getName());

    private CallCommands() {
    }

    /**
     * A call began: what the CRM will be told of it, by its route (inbound: the DID's; outbound: the dialled
     * prefix's) and the exceptions; an outbound call is registered at once.
     *
     * @param noRoute told of an inbound call's DID that no route names
     */
    static void start(Builder c, CallEvent.Started s, Settings settings, List<CrmCommand> out,
                      Consumer<String> noRoute) {
        CallData data = settings.callData();
        c.did = s.did();
        c.extension = s.extension();
        c.clientNumber = PhoneNumbers.format(s.clientNumber(), data);
        switch (s.direction()) {
            case INTERNAL -> c.ignored = true; // extension to extension: not a client's call
            case INBOUND -> {
                if (!route(c, s.did(), settings)) {
                    noRoute.accept(s.did());
                }
                if (settings.exceptions().ignoresNumber(s.clientNumber())) {
                    c.ignored = true;
                }
            }
            case OUTBOUND -> {
                if (settings.exceptions().ignoresNumber(s.clientNumber())
                        || (s.extension() != null && settings.exceptions().ignoresExtension(s.extension()))) {
                    c.ignored = true;
                    return;
                }
                Optional<OutboundRoutes.Route> route = settings.outboundRoutes().routeFor(s.clientNumber(), s.trunk());
                c.crmCreate = route.map(OutboundRoutes.Route::crmCreate).orElse(true);
                c.lineNumber = route.map(OutboundRoutes.Route::lineNumber).orElse(null);
                c.registered = true;
                if (s.givenCallId() != null) {
                    c.givenCallId = s.givenCallId(); // a click-to-call: Bitrix24 registered it before it asked
                    return;
                }
                out.add(new CrmCommand.Register(c.call, CrmCommand.UserRef.extension(s.extension()), c.clientNumber,
                        true, s.at(), c.crmCreate, null, c.lineNumber, data.showCard()));
                if (data.showCard()) {
                    c.shownTo.add(s.extension());
                }
            }
        }
    }

    /** The user a call belongs to while nobody talks: the client's responsible routing found, else the route's. */
    static Integer owner(Builder c) {
        return c.responsible != null ? c.responsible : c.defaultResponsible;
    }

    static void registerInbound(Builder c, String ringingExtension, Settings settings, List<CrmCommand> out) {
        boolean toResponsible = c.showCardTo == InboundRoutes.ShowCardTo.RESPONSIBLE || ringingExtension == null;
        CrmCommand.UserRef user = toResponsible && owner(c) != null
                ? CrmCommand.UserRef.user(owner(c))
                : ringingExtension != null ? CrmCommand.UserRef.extension(ringingExtension) : null;
        if (user == null) {
            return; // nobody to register the call for yet: the first ring or the end will do it
        }
        boolean show = settings.callData().showCard() && c.showCardTo != InboundRoutes.ShowCardTo.NOBODY
                && (ringingExtension != null || c.showCardTo == InboundRoutes.ShowCardTo.RESPONSIBLE);
        out.add(new CrmCommand.Register(c.call, user, c.clientNumber, false, c.startedAt, c.crmCreate, c.leadSource,
                c.lineNumber, show));
        c.registered = true;
        if (show && user.extension() != null) {
            c.shownTo.add(user.extension());
        }
    }

    static boolean showsRinging(Builder c, Settings settings) {
        return settings.callData().showCard() && c.showCardTo == InboundRoutes.ShowCardTo.RINGING;
    }

    static CrmCommand.UserRef operatorRef(Builder c) {
        return c.operator != null ? CrmCommand.UserRef.extension(c.operator) : null;
    }

    /** An inbound call's DID and what its route says of it; false when no route names the DID. */
    static boolean route(Builder c, String did, Settings settings) {
        Optional<InboundRoutes.Route> route = did == null ? Optional.empty() : settings.inboundRoutes().routeFor(did);
        c.did = did;
        c.defaultResponsible = route.map(InboundRoutes.Route::defaultResponsibleUserId).orElse(null);
        c.crmCreate = route.map(InboundRoutes.Route::crmCreate).orElse(true);
        c.leadSource = route.map(InboundRoutes.Route::leadSource).orElse("CALL");
        c.lineNumber = did;
        c.showCardTo = route.map(InboundRoutes.Route::showCardTo).orElse(InboundRoutes.ShowCardTo.RINGING);
        return route.isPresent();
    }

    /** The recording file is complete only once the call ended: MixMonitor closes it with the caller's channel. */
    static void attachRecording(Builder c, String file, int talkSeconds, Settings settings,
                                        List<CrmCommand> out) {
        String recording = file != null ? file : c.recordingFile;
        if (recording != null && talkSeconds > 0 && settings.callData().uploadRecordings()) {
            out.add(new CrmCommand.AttachRecording(c.call, recording));
        }
    }

    /** Registers (if never done) and finishes the call with this outcome; false when nobody can own it. */
    static boolean finish(Builder c, CallEvent.Ended x, Settings settings, List<CrmCommand> out) {
        CrmCommand.UserRef user;
        if (x.operator() != null && (c.direction == CallEvent.Direction.OUTBOUND
                || !settings.exceptions().ignoresExtension(x.operator()))) {
            user = CrmCommand.UserRef.extension(x.operator());
        } else if (c.direction == CallEvent.Direction.OUTBOUND) {
            user = CrmCommand.UserRef.extension(c.extension);
        } else if (owner(c) != null) {
            user = CrmCommand.UserRef.user(owner(c));   // missed: the client's (or the route's) responsible owns it
        } else if (c.lastRinging != null) {
            user = CrmCommand.UserRef.extension(c.lastRinging);
        } else {
            LOG.warning(() -> "call " + x.call() + " from " + c.clientNumber + " to DID " + c.did + " has no one to "
                    + "register it for (no route with a default responsible, nobody rang): not sent to Bitrix24");
            c.ignored = true;
            return false;
        }
        if (!c.registered) {
            out.add(new CrmCommand.Register(c.call, user, c.clientNumber, false, c.startedAt, c.crmCreate,
                    c.leadSource, c.lineNumber, false));
            c.registered = true;
        }
        out.add(new CrmCommand.Finish(c.call, user, x.talkSeconds(), StatusCodes.of(x.outcome()), c.vote,
                settings.callData().addToChat()));
        tasks(c, x, settings, out);
        c.finished = true;
        c.shownTo.clear(); // finish closes every card
        return true;
    }

    /**
     * After the finish (register has told the caller's entity by then): a missed inbound call asks for the
     * caller's task, an answered call tells that the caller was reached. Nothing when no template makes tasks.
     */
    private static void tasks(Builder c, CallEvent.Ended x, Settings settings, List<CrmCommand> out) {
        if (!settings.taskTemplates().anyEnabled() || c.clientNumber == null || c.clientNumber.isBlank()) {
            return;
        }
        boolean talked = x.outcome() == CallEvent.Outcome.ANSWERED;
        if (c.direction == CallEvent.Direction.INBOUND && x.outcome() != CallEvent.Outcome.ANSWERED) {
            out.add(new CrmCommand.MissedCallTask(c.call, c.clientNumber, c.did, c.startedAt, x.waitSeconds(),
                    c.responsible, c.defaultResponsible, c.lastRinging != null ? c.lastRinging : x.lastRinging()));
        } else if (talked) {
            out.add(new CrmCommand.CallerReached(c.call, c.clientNumber, x.at(),
                    c.direction == CallEvent.Direction.OUTBOUND));
        }
    }
}
