package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * telephony.externalCall.searchCrmEntities and telephony.externalLine.* (§2), as box 26.250 does them
 * ({@code voximplant/classes/general/vi_rest.php:1586-1600,1953-2070}, {@code voximplant/lib/rest/helper.php:1273-1470}):
 * every error is a RestException without a code ({@code "error": ""}, HTTP 400); lines belong to the application
 * (or to "the webhooks") that added them.
 */
final class TelephonyLines {

    static final String LINE_EXISTS = "Line already exists";

    private final CrmState state;

    TelephonyLines(CrmState state) {
        this.state = state;
    }

    /**
     * Every entity with this number in the box's order, CONTACT, then LEAD, then COMPANY
     * ({@code helper.php:1291}: {@code [ContactName, LeadName, CompanyName]}), with its responsible's details.
     */
    Reply searchCrmEntities(Invocation inv) {
        String phone = inv.args().text("PHONE_NUMBER");
        if (phone.isEmpty()) {
            throw RestError.noCode("PHONE_NUMBER is empty");
        }
        String code = PhoneNumbers.matchCode(phone);
        return state.tx(s -> {
            List<Object> out = new ArrayList<>();
            for (EntityType t : List.of(EntityType.CONTACT, EntityType.LEAD, EntityType.COMPANY)) {
                for (CrmEntity e : s.byPhone(t, code)) {
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

    /**
     * Adds a line: NAME defaults to "", CRM_AUTO_CREATE is Y unless given as something else than "Y"
     * (vi_rest.php:1962-1966); a number this owner has already (added, or named by a register) fails with
     * "Line already exists" (the unique index, helper.php:1398-1405).
     */
    Reply add(Invocation inv) {
        Args a = inv.args();
        String number = a.text("NUMBER");
        String name = a.has("NAME") ? Args.str(a.get("NAME")) : "";
        boolean crm = !a.has("CRM_AUTO_CREATE") || "Y".equals(Args.str(a.get("CRM_AUTO_CREATE")));
        String owner = inv.caller().owner();
        if (number.isEmpty()) {
            throw RestError.noCode("NUMBER should not be empty");
        }
        return state.tx(s -> {
            if (find(s, owner, number).isPresent()) {
                throw RestError.noCode(LINE_EXISTS);
            }
            return Reply.of(Map.of("ID", add(s, owner, number, name, crm).id()));
        });
    }

    /** Adds a line row for {@code owner} (also what register does for an unknown LINE_NUMBER). */
    static ExternalLine add(CrmState s, String owner, String number, String name, boolean crmAutoCreate) {
        ExternalLine line = new ExternalLine(s.next("line"), owner, number, name, crmAutoCreate, s.now());
        s.lines.put(line.id(), line);
        return line;
    }

    /** "There are no fields to update" comes before the number is looked at (vi_rest.php:2000-2014). */
    Reply update(Invocation inv) {
        Args a = inv.args();
        String number = a.text("NUMBER");
        String owner = inv.caller().owner();
        if (!a.has("NAME") && !a.has("CRM_AUTO_CREATE")) {
            throw RestError.noCode("There are no fields to update");
        }
        if (number.isEmpty()) {
            throw RestError.noCode("NUMBER should not be empty");
        }
        return state.tx(s -> {
            ExternalLine line = find(s, owner, number)
                    .orElseThrow(() -> RestError.noCode("Could not find line with number " + number));
            ExternalLine updated = new ExternalLine(line.id(), owner, line.number(),
                    a.has("NAME") ? Args.str(a.get("NAME")) : line.name(),
                    a.has("CRM_AUTO_CREATE") ? "Y".equals(Args.str(a.get("CRM_AUTO_CREATE"))) : line.crmAutoCreate(),
                    line.createdAt());
            s.lines.put(line.id(), updated);
            return Reply.of(Map.of("ID", line.id()));
        });
    }

    Reply delete(Invocation inv) {
        String number = inv.args().text("NUMBER");
        String owner = inv.caller().owner();
        if (number.isEmpty()) {
            throw RestError.noCode("NUMBER should not be empty");
        }
        return state.tx(s -> {
            ExternalLine line = find(s, owner, number)
                    .orElseThrow(() -> RestError.noCode("Could not find line with number " + number));
            s.lines.remove(line.id());
            return Reply.of(List.of());
        });
    }

    /** This owner's lines, those register created included. */
    Reply get(Invocation inv) {
        String owner = inv.caller().owner();
        return state.tx(s -> {
            List<Object> out = new ArrayList<>();
            for (ExternalLine l : s.lines.values()) {
                if (l.owner().equals(owner)) {
                    out.add(Map.of("NUMBER", l.number(), "NAME", l.name(), "CRM_AUTO_CREATE", l.crmAutoCreate() ? "Y" : "N"));
                }
            }
            return Reply.of(out);
        });
    }

    static Optional<ExternalLine> find(CrmState s, String owner, String number) {
        String n = number.strip();
        return s.lines.values().stream().filter(l -> l.owner().equals(owner) && l.number().equals(n)).findFirst();
    }

    /** Any owner's line with this number (click-to-call reads the line's CRM_AUTO_CREATE). */
    static Optional<ExternalLine> find(CrmState s, String number) {
        String n = number.strip();
        return s.lines.values().stream().filter(l -> l.number().equals(n)).findFirst();
    }
}
