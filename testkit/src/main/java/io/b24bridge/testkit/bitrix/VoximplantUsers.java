package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users' and the portal's outgoing lines, as box 26.250's voximplant module tells them
 * ({@code voximplant/classes/general/vi_rest.php}, getUser and lineOutgoingGet; yuliai/bitrix-modules@3054ecc1):
 * {@code voximplant.user.get} answers, per USER_ID (one or an array; required, "Parameter USER_ID is not set"),
 * DEFAULT_LINE = the user's {@code UF_VI_BACKPHONE} ("" when they have none), PHONE_ENABLED, SIP_SERVER, SIP_LOGIN,
 * SIP_PASSWORD and INNER_NUMBER — the SIP password included, which is why a client must read only what it needs.
 * The box first asks its administrators to confirm the application may read them ({@code requestConfirmation}); the
 * emulator's administrator has confirmed. REST {@code user.get} never returns UF_VI_BACKPHONE (rest/lib/api/user.php:
 * only its listed fields and UF_USR_*), so the emulator's does not either. {@code voximplant.line.outgoing.get}
 * answers option voximplant/portal_number, or LINK_BASE_NUMBER when it is unset ({@code CVoxImplantConfig::GetPortalNumber},
 * vi_config.php:60-70).
 */
final class VoximplantUsers {

    /** What GetPortalNumber answers when no default line is set (vi_config.php:34,64-67). */
    static final String LINK_BASE_NUMBER = "LINK_BASE_NUMBER";

    private final CrmState state;

    VoximplantUsers(CrmState state) {
        this.state = state;
    }

    Reply userGet(Invocation inv) {
        Object raw = inv.args().raw().get("USER_ID"); // isset($params['USER_ID']): the exact spelling only
        if (raw == null) {
            throw RestError.noCode("Parameter USER_ID is not set");
        }
        List<Integer> ids = new ArrayList<>();
        for (Object o : Args.asList(raw)) {
            ids.add(Args.intval(o));
        }
        return state.tx(s -> {
            List<Object> out = new ArrayList<>();
            for (int id : ids) {
                Optional<User> u = s.user(id);
                if (u.isEmpty()) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ID", String.valueOf(id));
                m.put("DEFAULT_LINE", s.outgoingLines.getOrDefault(id, ""));
                m.put("PHONE_ENABLED", "0");
                m.put("SIP_SERVER", "ip.bitrixphone.com");
                m.put("SIP_LOGIN", "phone" + id);
                m.put("SIP_PASSWORD", "emulated-sip-secret-" + id);
                m.put("INNER_NUMBER", u.get().innerPhone() == null ? "" : u.get().innerPhone());
                out.add(m);
            }
            return Reply.of(out);
        });
    }

    Reply lineOutgoingGet(Invocation inv) {
        return state.tx(s -> Reply.of(s.portalNumber.isEmpty() ? LINK_BASE_NUMBER : s.portalNumber));
    }
}
