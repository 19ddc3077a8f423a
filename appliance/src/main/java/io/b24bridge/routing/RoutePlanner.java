package io.b24bridge.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import io.b24bridge.calls.DialValues;
import io.b24bridge.calls.PhoneNumbers;
import io.b24bridge.settings.CallData;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.Routing;
import io.b24bridge.settings.Target;

/**
 * Turns what is known of a caller into the targets the dialplan rings, by the route and the routing settings:
 * the responsible's desk phone (unless their workday is closed and the settings skip it), then their mobile
 * through the trunk (when the route forwards to mobiles), then the route's fallback. Pure: no I/O.
 */
final class RoutePlanner {

    private static final Logger LOG = Logger.getLogger(RoutePlanner.class.getName());

    private RoutePlanner() {
    }

    /**
     * What is known of the caller when the plan is made.
     *
     * @param owner  the CRM's owner of the number, or null (unknown, or the CRM did not answer)
     * @param known  the CRM answered (now or earlier): an absent owner means the number is unknown
     * @param person whom the call goes to when there is no owner: the route's default responsible's phones, or null
     */
    record Facts(CrmDirectory.Owner owner, boolean known, CrmDirectory.Person person) {
    }

    static RouteDecision plan(InboundRoutes.Route route, Routing settings, CallData numbers, Facts facts,
                              RouteDecision.Source source) {
        List<DialTarget> targets = new ArrayList<>();
        Integer responsible = null;
        String crm = null;
        if (route.routeToResponsible()) {
            CrmDirectory.Person who = null;
            if (facts.owner() != null) {
                who = facts.owner().responsible();
                responsible = who.userId();
                crm = facts.owner().entityType() + ":" + facts.owner().entityId();
            } else if (route.unknownCallers() == InboundRoutes.UnknownCallers.DEFAULT_RESPONSIBLE) {
                who = facts.person();
            }
            if (who != null) {
                Optional<String> extension = checkedExtension(who);
                if (extension.isPresent() && !(settings.skipClosedWorkday() && who.workdayClosed())) {
                    targets.add(new DialTarget(DialTarget.Kind.RESPONSIBLE,
                            settings.extensionDial().replace("{extension}", extension.get()),
                            settings.responsibleRingSeconds(), null, null));
                }
                if (route.forwardToMobile() && who.mobile() != null) {
                    mobile(who, extension.orElse(null), settings, numbers).ifPresent(targets::add);
                }
            }
        }
        fallback(route.fallback(), settings).ifPresent(targets::add);
        if (targets.isEmpty()) {
            return RouteDecision.none(route.routeToResponsible() ? source : RouteDecision.Source.ROUTE, route.name());
        }
        return new RouteDecision(targets, responsible, crm, route.offerRating(),
                route.routeToResponsible() ? source : RouteDecision.Source.ROUTE, route.name());
    }

    /**
     * The responsible's extension from the CRM (a user's inner phone), if it is one: anyone who may edit a Bitrix24
     * user can write {@code 105&PJSIP/mts/79990000000} there, which Dial() would take as a second channel.
     */
    private static Optional<String> checkedExtension(CrmDirectory.Person who) {
        if (who.extension() == null) {
            return Optional.empty();
        }
        Optional<String> ok = DialValues.extension(who.extension());
        if (ok.isEmpty()) {
            LOG.warning(() -> "routing: the inner phone of user " + who.userId() + " in Bitrix24 ('"
                    + DialValues.printable(who.extension()) + "') is not an extension (2 to 8 digits): not rung");
        }
        return ok;
    }

    private static Optional<DialTarget> mobile(CrmDirectory.Person who, String extension, Routing settings,
                                               CallData numbers) {
        String template = settings.mobileDial();
        if (template.contains("{trunk}") && settings.mobileTrunk() == null) {
            LOG.warning(() -> "routing: the mobile of user " + who.userId() + " is not called: settings routing."
                    + "mobileTrunk is empty (the trunk mobiles are called through)");
            return Optional.empty();
        }
        Optional<String> mobile = DialValues.phone(who.mobile());
        if (mobile.isEmpty()) {
            LOG.warning(() -> "routing: the mobile of user " + who.userId() + " in Bitrix24 ('"
                    + DialValues.printable(who.mobile()) + "') is not a phone number: not called");
            return Optional.empty();
        }
        String e164 = PhoneNumbers.format(mobile.get(), withFormat(numbers, CallData.NumberFormat.E164));
        String national = PhoneNumbers.format(mobile.get(), withFormat(numbers, CallData.NumberFormat.NATIONAL));
        String dial = template.replace("{number}", e164.replace("+", ""))
                .replace("{e164}", e164)
                .replace("{national}", national)
                .replace("{trunk}", settings.mobileTrunk() == null ? "" : settings.mobileTrunk());
        String options = settings.mobileCallerId() == null ? "" : "f(" + settings.mobileCallerId() + ")";
        return Optional.of(new DialTarget(DialTarget.Kind.MOBILE, dial, settings.mobileRingSeconds(),
                extension, options));
    }

    private static Optional<DialTarget> fallback(Target target, Routing settings) {
        String dial = switch (target.type()) {
            case NONE -> null;
            case EXTENSION -> settings.extensionDial().replace("{extension}", target.value());
            case EXTENSIONS -> String.join("&", Arrays.stream(target.value().split(","))
                    .map(e -> settings.extensionDial().replace("{extension}", e.strip())).toList());
            case RING_GROUP -> settings.ringGroupDial().replace("{group}", target.value());
            case QUEUE -> settings.queueDial().replace("{queue}", target.value());
        };
        return dial == null ? Optional.empty()
                : Optional.of(new DialTarget(DialTarget.Kind.FALLBACK, dial, settings.fallbackRingSeconds(),
                null, null));
    }

    private static CallData withFormat(CallData d, CallData.NumberFormat format) {
        return new CallData(d.showCard(), d.addToChat(), format, d.countryCode(), d.nationalPrefix(), d.areaCode(),
                d.uploadRecordings(), d.recordingMode(), d.recordingBaseUrl(), d.trackInternalCalls());
    }
}
