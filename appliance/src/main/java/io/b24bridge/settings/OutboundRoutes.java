package io.b24bridge.settings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Outbound routes: per dialled prefix (and trunk), whether unknown numbers become leads and the line shown. */
public record OutboundRoutes(List<Route> routes) implements SectionValue {

    public static final OutboundRoutes DEFAULT = new OutboundRoutes(List.of());

    private static final Pattern TRUNK = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public OutboundRoutes {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /**
     * @param prefix     the dialled number as a pattern ({@code _8X.}, {@code _+7X.}) or a number
     * @param trunk      the trunk (PJSIP endpoint) the call leaves by; empty = any
     * @param crmCreate  an unknown called number becomes a lead
     * @param lineNumber the Bitrix24 external line (LINE_NUMBER) calls through this route are shown on
     */
    public record Route(String prefix, String trunk, Boolean crmCreate, String lineNumber) {

        public Route {
            crmCreate = Objects.requireNonNullElse(crmCreate, Boolean.TRUE);
            trunk = trunk == null || trunk.isBlank() ? null : trunk;
        }

        void validate(Problems p) {
            if (p.required("prefix", prefix)) {
                p.phoneOrPattern("prefix", prefix);
            }
            if (trunk != null && !TRUNK.matcher(trunk).matches()) {
                p.add("trunk", "must be a trunk (endpoint) name: letters, digits, _ . -");
            }
            p.text("lineNumber", lineNumber, 64);
        }

        String key() {
            return prefix + "@" + (trunk == null ? "*" : trunk);
        }
    }

    /** The route of an outbound call: the first whose prefix matches and whose trunk is the call's (or any). */
    public Optional<Route> routeFor(String dialled, String trunk) {
        return routes.stream()
                .filter(r -> DialPattern.of(r.prefix()).matches(dialled))
                .filter(r -> r.trunk() == null || r.trunk().equals(trunk))
                .findFirst();
    }

    @Override
    public void validate(Problems p) {
        p.maxItems("routes", routes, InboundRoutes.MAX_ROUTES);
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i) == null) {
                p.add("routes[" + i + "]", "is empty");
                continue;
            }
            routes.get(i).validate(p.at("routes", i));
        }
        p.unique("routes", "prefix", routes.stream().map(r -> r == null ? null : r.key()).toList());
    }
}
