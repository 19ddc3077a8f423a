package io.b24bridge.settings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Inbound routes: per DID (the number the client dialled), its name, lead source (static call tracking),
 * default responsible, whether unknown callers become leads, the fallback and the card policy.
 */
public record InboundRoutes(List<Route> routes) implements SectionValue {

    public static final InboundRoutes DEFAULT = new InboundRoutes(List.of());

    /** Lead source ids are Bitrix24 STATUS_IDs of ENTITY_ID=SOURCE: CALL, WEB, or custom ones. */
    private static final Pattern STATUS_ID = Pattern.compile("[A-Za-z0-9_|]{1,50}");

    public InboundRoutes {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /**
     * One DID.
     *
     * @param did                      the number dialled (or a dial pattern, e.g. a whole block of DIDs)
     * @param name                     a name people know it by ("Website Moscow")
     * @param leadSource               the lead source (STATUS_ID) for leads and calls through this DID
     * @param defaultResponsibleUserId Bitrix24 user id: takes unknown callers and missed calls
     * @param crmCreate                an unknown caller becomes a lead (register CRM_CREATE=1)
     * @param fallback                 where the call goes when the responsible does not answer
     * @param forwardToMobile          the responsible's mobile is tried before the fallback
     * @param showCardTo               who sees the caller's card in Bitrix24 while it rings
     * @param routeToResponsible       the appliance routes the call (FastAGI): the client's responsible in the CRM
     *                                 first, then their mobile (forwardToMobile), then the fallback; off: the
     *                                 PBX's own routing takes the call after the fallback, if any
     * @param unknownCallers           where a caller the CRM does not know goes first when routing to the responsible
     * @param offerRating              after the operator hangs up, the caller is asked to rate them (1–5)
     */
    public record Route(String did, String name, String leadSource, Integer defaultResponsibleUserId,
                        Boolean crmCreate, Target fallback, Boolean forwardToMobile, ShowCardTo showCardTo,
                        Boolean routeToResponsible, UnknownCallers unknownCallers, Boolean offerRating) {

        public Route {
            leadSource = leadSource == null || leadSource.isBlank() ? "CALL" : leadSource;
            crmCreate = Objects.requireNonNullElse(crmCreate, Boolean.TRUE);
            fallback = Objects.requireNonNullElse(fallback, Target.none());
            forwardToMobile = Objects.requireNonNullElse(forwardToMobile, Boolean.FALSE);
            showCardTo = Objects.requireNonNullElse(showCardTo, ShowCardTo.RINGING);
            routeToResponsible = Objects.requireNonNullElse(routeToResponsible, Boolean.FALSE);
            unknownCallers = Objects.requireNonNullElse(unknownCallers, UnknownCallers.DEFAULT_RESPONSIBLE);
            offerRating = Objects.requireNonNullElse(offerRating, Boolean.FALSE);
        }

        void validate(Problems p) {
            if (p.required("did", did)) {
                p.phoneOrPattern("did", did);
            }
            p.required("name", name);
            p.text("name", name, 100);
            if (!STATUS_ID.matcher(leadSource).matches()) {
                p.add("leadSource", "must be a Bitrix24 lead source id (letters, digits, _), e.g. CALL or WEB");
            }
            if (p.required("defaultResponsibleUserId", defaultResponsibleUserId)) {
                p.positiveId("defaultResponsibleUserId", defaultResponsibleUserId);
            }
            fallback.validate(p.at("fallback"));
        }
    }

    /** Where a caller the CRM does not know goes first, when the route routes to the responsible. */
    public enum UnknownCallers {
        /** the route's default responsible (their extension, then their mobile): the new lead is theirs */
        DEFAULT_RESPONSIBLE,
        /** straight to the route's fallback (a queue, a ring group) */
        FALLBACK
    }

    /** Who sees the caller's card while the call rings. */
    public enum ShowCardTo {
        /** each user whose phone rings, while it rings */
        RINGING,
        /** only the client's responsible (or the route's default responsible) */
        RESPONSIBLE,
        /** nobody: the call is still registered and finished in the CRM */
        NOBODY
    }

    /** More routes than any site has DIDs to route; each call looks through them. */
    public static final int MAX_ROUTES = 1000;

    /** The route of a dialled number: an exact DID wins over a pattern; among patterns the first listed. */
    public Optional<Route> routeFor(String did) {
        return index().routeFor(did);
    }

    /**
     * The routes with their DIDs compiled, for looking up many numbers: routing keeps one per settings version
     * instead of compiling every route's pattern on every call.
     */
    public Index index() {
        return new Index(this);
    }

    /** The routes, their DID patterns compiled once. */
    public static final class Index {

        private final InboundRoutes routes;
        private final List<DialPattern> patterns;

        private Index(InboundRoutes routes) {
            this.routes = routes;
            this.patterns = routes.routes().stream().map(r -> DialPattern.of(r.did())).toList();
        }

        /** Whether this index was made of {@code of} (the same settings). */
        public boolean isOf(InboundRoutes of) {
            return routes == of;
        }

        /** As {@link InboundRoutes#routeFor}. */
        public Optional<Route> routeFor(String did) {
            Route byPattern = null;
            for (int i = 0; i < patterns.size(); i++) {
                DialPattern pattern = patterns.get(i);
                if (pattern.matches(did)) {
                    if (pattern.isExact()) {
                        return Optional.of(routes.routes().get(i));
                    }
                    if (byPattern == null) {
                        byPattern = routes.routes().get(i);
                    }
                }
            }
            return Optional.ofNullable(byPattern);
        }
    }

    @Override
    public void validate(Problems p) {
        p.maxItems("routes", routes, MAX_ROUTES);
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i) == null) {
                p.add("routes[" + i + "]", "is empty");
                continue;
            }
            routes.get(i).validate(p.at("routes", i));
        }
        p.unique("routes", "did", routes.stream().map(r -> r == null ? null : r.did()).toList());
    }
}
