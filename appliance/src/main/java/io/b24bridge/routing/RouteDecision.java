package io.b24bridge.routing;

import java.util.List;

/**
 * Where an inbound call goes, as the FastAGI answer tells the dialplan.
 *
 * @param targets     in order; empty: the appliance has nothing to say (no route for the DID, or a route the
 *                    PBX routes by itself): the site's own routing takes the call
 * @param responsible the caller's responsible in the CRM (a Bitrix24 user id), or null
 * @param crmEntity   the caller's CRM binding ({@code CONTACT:12}), or null
 * @param offerRating the caller is asked to rate the operator after the talk
 * @param source      where the answer came from: {@link Source}
 * @param route       the route's name, for the log
 */
public record RouteDecision(List<DialTarget> targets, Integer responsible, String crmEntity, boolean offerRating,
                            Source source, String route) {

    /** Where the decision's knowledge of the caller came from. */
    public enum Source {
        /** no routing for this DID */
        NO_ROUTE,
        /** the route does not ask for the caller's responsible */
        ROUTE,
        /** a fresh answer of the CRM, kept in the cache */
        CACHE,
        /** the CRM answered within the deadline */
        CRM,
        /** the CRM did not answer in time or failed; an older answer was used */
        STALE_CACHE,
        /** the CRM did not answer in time or failed and nothing was known: the route's defaults */
        ROUTE_DEFAULT
    }

    public RouteDecision {
        targets = List.copyOf(targets);
    }

    public static RouteDecision none(Source source, String route) {
        return new RouteDecision(List.of(), null, null, false, source, route);
    }
}
