package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** telephony.externalCall.searchCrmEntities and telephony.externalLine.* (§2). */
final class TelephonyLines {

    private final CrmState state;

    TelephonyLines(CrmState state) {
        this.state = state;
    }

    /** Every entity with this number, CONTACT before COMPANY before LEAD, with its responsible's details. */
    Reply searchCrmEntities(Invocation inv) {
        String phone = inv.args().text("PHONE_NUMBER");
        if (phone.isEmpty()) {
            throw RestError.core("PHONE_NUMBER is empty");
        }
        String key = PhoneNumbers.key(phone);
        return state.tx(s -> {
            List<Object> out = new ArrayList<>();
            for (EntityType t : List.of(EntityType.CONTACT, EntityType.COMPANY, EntityType.LEAD)) {
                for (CrmEntity e : s.byPhone(t, key)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("CRM_ENTITY_TYPE", t.name());
                    m.put("CRM_ENTITY_ID", e.id());
                    m.put("ASSIGNED_BY_ID", e.assignedById());
                    m.put("NAME", e.displayName());
                    Optional<User> u = e.assignedById() == null ? Optional.empty() : s.user(e.assignedById());
                    Map<String, Object> by = new LinkedHashMap<>();
                    by.put("ID", e.assignedById() == null ? null : String.valueOf(e.assignedById()));
                    by.put("TIMEMAN_STATUS", u.map(User::timemanStatus).orElse("UNAVAILABLE"));
                    by.put("USER_PHONE_INNER", u.map(User::innerPhone).orElse(null));
                    by.put("WORK_PHONE", u.map(User::workPhone).orElse(null));
                    by.put("PERSONAL_PHONE", u.map(User::personalPhone).orElse(null));
                    by.put("PERSONAL_MOBILE", u.map(User::mobile).orElse(null));
                    m.put("ASSIGNED_BY", by);
                    out.add(m);
                }
            }
            return Reply.of(out);
        });
    }

    /** Adds a line; adding a number that exists answers its id (UNCONFIRMED: the docs name no error for it). */
    Reply add(Invocation inv) {
        Args a = inv.args();
        String number = a.text("NUMBER");
        if (number.isEmpty()) {
            throw RestError.core("NUMBER should not be empty");
        }
        String name = a.text("NAME");
        boolean crm = a.flag("CRM_AUTO_CREATE", true);
        return state.tx(s -> {
            Optional<ExternalLine> known = find(s, number);
            if (known.isPresent()) {
                return Reply.of(Map.of("ID", known.get().id()));
            }
            ExternalLine line = new ExternalLine(s.next("line"), number, name.isEmpty() ? number : name, crm, s.now());
            s.lines.put(line.id(), line);
            return Reply.of(Map.of("ID", line.id()));
        });
    }

    Reply update(Invocation inv) {
        Args a = inv.args();
        String number = a.text("NUMBER");
        if (number.isEmpty()) {
            throw RestError.core("NUMBER should not be empty");
        }
        if (!a.has("NAME") && !a.has("CRM_AUTO_CREATE")) {
            throw RestError.core("There are no fields to update");
        }
        return state.tx(s -> {
            ExternalLine line = find(s, number)
                    .orElseThrow(() -> RestError.core("Could not find line with number " + number));
            ExternalLine updated = new ExternalLine(line.id(), line.number(),
                    a.has("NAME") ? a.text("NAME") : line.name(),
                    a.has("CRM_AUTO_CREATE") ? a.flag("CRM_AUTO_CREATE", line.crmAutoCreate()) : line.crmAutoCreate(),
                    line.createdAt());
            s.lines.put(line.id(), updated);
            return Reply.of(Map.of("ID", String.valueOf(line.id())));
        });
    }

    Reply delete(Invocation inv) {
        String number = inv.args().text("NUMBER");
        if (number.isEmpty()) {
            throw RestError.core("NUMBER should not be empty");
        }
        return state.tx(s -> {
            ExternalLine line = find(s, number)
                    .orElseThrow(() -> RestError.core("Could not find line with number " + number));
            s.lines.remove(line.id());
            return Reply.of(List.of());
        });
    }

    Reply get(Invocation inv) {
        return state.tx(s -> {
            List<Object> out = new ArrayList<>();
            for (ExternalLine l : s.lines.values()) {
                out.add(Map.of("NUMBER", l.number(), "NAME", l.name(), "CRM_AUTO_CREATE", l.crmAutoCreate() ? "Y" : "N"));
            }
            return Reply.of(out);
        });
    }

    static Optional<ExternalLine> find(CrmState s, String number) {
        return s.lines.values().stream().filter(l -> l.number().equals(number.strip())).findFirst();
    }
}
