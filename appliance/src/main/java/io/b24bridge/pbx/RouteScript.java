package io.b24bridge.pbx;

import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;

import io.b24bridge.routing.DialTarget;
import io.b24bridge.routing.RouteDecision;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.settings.Routing;

/**
 * {@code AGI(agi://appliance:4573/route,<DID>,<caller>)}: asks routing where the call goes and answers with
 * channel variables the dialplan follows (docs/asterisk/dialplan.md):
 * <ul>
 *   <li>{@code B24_TARGETS} how many targets; {@code B24_T<n>} each one's Dial() destination,
 *       {@code B24_T<n>_TIME} its ring time, {@code B24_T<n>_OF} for a mobile the responsible's extension (the
 *       dialplan sets {@code B24_MOBILE_OF} from it while it rings), {@code B24_T<n>_OPT} extra Dial() options;</li>
 *   <li>{@code B24_RESPONSIBLE} the caller's responsible (Bitrix24 user id), {@code B24_CRM} the caller's CRM
 *       binding ({@code CONTACT:12});</li>
 *   <li>{@code B24_RATE} 1 when the caller is asked to rate the operator afterwards, with
 *       {@code B24_RATE_PROMPT} and {@code B24_RATE_TIMEOUT};</li>
 *   <li>{@code B24_ROUTED_BY} where the answer's knowledge came from (CACHE, CRM, ROUTE_DEFAULT, …).</li>
 * </ul>
 * Without the arguments the DID is the request's extension and the caller its caller ID.
 */
public final class RouteScript implements AgiScript {

    private static final Logger LOG = Logger.getLogger(RouteScript.class.getName());

    private final RoutingService routing;
    private final Supplier<Routing> settings;

    public RouteScript(RoutingService routing, Supplier<Routing> settings) {
        this.routing = routing;
        this.settings = settings;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        long started = System.nanoTime();
        String[] args = request.getArguments() == null ? new String[0] : request.getArguments();
        String did = arg(args, 0, request.getExtension());
        String caller = arg(args, 1, request.getCallerIdNumber());
        RouteDecision d = routing.decide(did, caller);
        List<DialTarget> targets = d.targets();
        for (int i = 0; i < targets.size(); i++) {
            DialTarget t = targets.get(i);
            String n = "B24_T" + (i + 1);
            channel.setVariable(n, t.dial());
            channel.setVariable(n + "_TIME", String.valueOf(t.ringSeconds()));
            channel.setVariable(n + "_OF", t.mobileOf() == null ? "" : t.mobileOf());
            channel.setVariable(n + "_OPT", t.options());
        }
        channel.setVariable("B24_RESPONSIBLE", d.responsible() == null ? "" : d.responsible().toString());
        channel.setVariable("B24_CRM", d.crmEntity() == null ? "" : d.crmEntity());
        channel.setVariable("B24_RATE", d.offerRating() ? "1" : "0");
        if (d.offerRating()) {
            Routing r = settings.get();
            channel.setVariable("B24_RATE_PROMPT", r.ratingPrompt());
            channel.setVariable("B24_RATE_TIMEOUT", String.valueOf(r.ratingKeySeconds()));
        }
        channel.setVariable("B24_ROUTED_BY", d.source().name());
        // last: the dialplan rings nothing until it sees the count
        channel.setVariable("B24_TARGETS", String.valueOf(targets.size()));
        long nanos = System.nanoTime() - started;
        routing.answered(nanos);
        LOG.fine(() -> "routed " + request.getUniqueId() + " to " + did + " from " + caller + " (" + d.route() + ", "
                + d.source() + ") in " + nanos / 1_000 + " µs: " + targets);
    }

    private static String arg(String[] args, int i, String otherwise) {
        return args.length > i && args[i] != null && !args[i].isBlank() ? args[i].strip() : otherwise;
    }
}
