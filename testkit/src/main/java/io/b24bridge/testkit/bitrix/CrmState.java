package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything the emulated box knows: users, CRM entities, lead sources, calls, activities, tasks, comments,
 * event handlers, external lines, recordings. One lock guards it all: handlers do their reading and writing in
 * {@link #tx} and never any I/O there (requests are parsed before, answers serialised after), so a request
 * holds the lock for microseconds and the hot path ({@code register}) is never the bottleneck.
 */
final class CrmState {

    /** The lead sources of a fresh box (crm.status ENTITY_ID = SOURCE). */
    static final List<String[]> DEFAULT_SOURCES = List.of(
            new String[] {"CALL", "Call"}, new String[] {"EMAIL", "E-Mail"}, new String[] {"WEB", "Website"},
            new String[] {"ADVERTISING", "Advertising"}, new String[] {"PARTNER", "Existing client"},
            new String[] {"RECOMMENDATION", "By recommendation"}, new String[] {"TRADE_SHOW", "Show/Exhibition"},
            new String[] {"WEBFORM", "CRM form"}, new String[] {"CALLBACK", "Callback"},
            new String[] {"OTHER", "Other"});

    /** A pending two-step upload (attachRecord with FILENAME alone). */
    record PendingUpload(String callId, String filename) {
    }

    private final Clock clock;

    final Map<Integer, User> users = new TreeMap<>();
    final Map<EntityType, TreeMap<Integer, CrmEntity>> entities = new EnumMap<>(EntityType.class);
    final List<CrmStatus> statuses = new ArrayList<>();
    final Map<String, Call> calls = new LinkedHashMap<>();
    /** Per CALL_ID, commands that came while the call was not open (before register, after finish). */
    final Map<String, List<String>> lateCommands = new LinkedHashMap<>();
    final Map<Integer, Activity> activities = new TreeMap<>();
    final Map<Integer, Task> tasks = new TreeMap<>();
    final Map<Integer, TimelineComment> comments = new TreeMap<>();
    final Map<Integer, EventBinding> bindings = new TreeMap<>();
    final Map<Integer, ExternalLine> lines = new TreeMap<>();
    /** Each user's own outgoing line, UF_VI_BACKPHONE ({@code REST_APP:<id>}, an external line's number, a SIP line). */
    final Map<Integer, String> outgoingLines = new TreeMap<>();
    /** The portal's default outgoing line, option voximplant/portal_number ("" = unset). */
    String portalNumber = "";
    final Map<Integer, byte[]> fileBytes = new LinkedHashMap<>();
    final Map<String, PendingUpload> uploads = new LinkedHashMap<>();

    private final Map<String, Integer> sequences = new LinkedHashMap<>();
    /** Normalised phone → ids, per type: register's look-up must not walk every entity (benchmarks). */
    private final Map<EntityType, Map<String, java.util.TreeSet<Integer>>> phoneIndex = new EnumMap<>(EntityType.class);
    /**
     * CALLER_ID → the open calls from it: the box's {@code b_voximplant_call} rows, which register searches for a
     * re-registration and finish deletes ({@code voximplant/lib/rest/helper.php:200-218,648}).
     */
    final Map<String, List<Call>> openByCaller = new java.util.HashMap<>();

    CrmState(Clock clock) {
        this.clock = clock;
        reset();
    }

    /** The whole state as a value, with what lives beside it (the application, tokens, webhooks, deliveries). */
    BoxState view(Instant at, Settings settings, BoxState.ApplicationView application, List<BoxState.TokenView> tokens,
                  List<BoxState.WebhookView> webhooks, List<Delivery> deliveries) {
        List<CallView> callViews = new ArrayList<>();
        calls.values().forEach(c -> callViews.add(c.view()));
        return new BoxState(at, settings.deployment(), settings.authRules(), application, List.copyOf(users.values()),
                List.copyOf(of(EntityType.CONTACT).values()), List.copyOf(of(EntityType.COMPANY).values()),
                List.copyOf(of(EntityType.LEAD).values()), List.copyOf(statuses), callViews,
                List.copyOf(activities.values()), List.copyOf(tasks.values()), List.copyOf(comments.values()),
                List.copyOf(bindings.values()), List.copyOf(lines.values()), tokens, webhooks, deliveries);
    }

    /** Per CALL_ID, the commands that came while the call was not open (a copy). */
    Map<String, List<String>> lateCommandsCopy() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        lateCommands.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** Runs {@code work} alone against the state. No I/O inside: see the class comment. */
    synchronized <T> T tx(Function<CrmState, T> work) {
        return work.apply(this);
    }

    /** Back to a fresh box: the administrator (user 1) and the default lead sources, nothing else. */
    synchronized void reset() {
        users.clear();
        entities.clear();
        phoneIndex.clear();
        for (EntityType t : EntityType.values()) {
            entities.put(t, new TreeMap<>());
            phoneIndex.put(t, new java.util.HashMap<>());
        }
        openByCaller.clear();
        statuses.clear();
        calls.clear();
        lateCommands.clear();
        activities.clear();
        tasks.clear();
        comments.clear();
        bindings.clear();
        lines.clear();
        outgoingLines.clear();
        portalNumber = "";
        fileBytes.clear();
        uploads.clear();
        sequences.clear();
        users.put(1, new User(1, "Admin", "", null, null, null, null, true, "OPENED"));
        int sort = 10;
        for (String[] s : DEFAULT_SOURCES) {
            statuses.add(new CrmStatus(next("status"), "SOURCE", s[0], s[1], sort, true));
            sort += 10;
        }
    }

    Instant now() {
        return clock.instant();
    }

    int next(String sequence) {
        return sequences.merge(sequence, 1, Integer::sum);
    }

    /** Keeps a sequence ahead of an id chosen by a seed. */
    void seen(String sequence, int id) {
        sequences.merge(sequence, id, Math::max);
    }

    // ---- users ----

    Optional<User> user(int id) {
        return Optional.ofNullable(users.get(id));
    }

    /** {@code Helper::getUserByPhone}: the active user whose UF_PHONE_INNER is exactly this (helper.php:46-58). */
    Optional<User> userByInner(String innerPhone) {
        if (innerPhone == null || innerPhone.isEmpty()) {
            return Optional.empty();
        }
        return users.values().stream()
                .filter(u -> innerPhone.equals(u.innerPhone()))
                .filter(User::active)
                .findFirst();
    }

    /**
     * Whether a number is one of an active employee's (extension, mobile, work or personal phone): the box makes
     * no lead for it, "Lead creation is disabled for local users" ({@code vi_crm_helper.php}, getLeadFields).
     */
    boolean employeeNumber(String matchCode) {
        return !matchCode.isEmpty() && users.values().stream().filter(User::active)
                .flatMap(u -> java.util.stream.Stream.of(u.innerPhone(), u.mobile(), u.workPhone(), u.personalPhone()))
                .anyMatch(p -> p != null && matchCode.equals(PhoneNumbers.matchCode(p)));
    }

    User putUser(User u) {
        users.put(u.id(), u);
        seen("user", u.id());
        return u;
    }

    // ---- CRM entities ----

    TreeMap<Integer, CrmEntity> of(EntityType type) {
        return entities.get(type);
    }

    Optional<CrmEntity> entity(EntityType type, int id) {
        return Optional.ofNullable(entities.get(type).get(id));
    }

    /**
     * Adds an entity from REST-shaped fields: ID, DATE_CREATE and the PHONE multi-field (each value gets an
     * ID, VALUE_TYPE and TYPE_ID) are filled in as the box does.
     */
    CrmEntity addEntity(EntityType type, Integer id, Map<String, Object> fields, int createdBy) {
        int newId = id == null ? next(type.name()) : id;
        seen(type.name(), newId);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ID", String.valueOf(newId));
        if (type == EntityType.LEAD) {
            f.put("TITLE", "");
            f.put("STATUS_ID", "NEW");
            f.put("SOURCE_ID", "");
        }
        Instant now = now();
        f.put("DATE_CREATE", Dates.format(now));
        f.put("DATE_MODIFY", Dates.format(now));
        f.put("CREATED_BY_ID", String.valueOf(createdBy));
        f.put("ASSIGNED_BY_ID", String.valueOf(createdBy));
        f.put("OPENED", "Y");
        merge(f, fields);
        CrmEntity e = new CrmEntity(type, newId, f);
        entities.get(type).put(newId, e);
        index(null, e);
        return e;
    }

    CrmEntity updateEntity(CrmEntity e, Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>(e.fields());
        merge(f, fields);
        f.put("DATE_MODIFY", Dates.format(now()));
        CrmEntity updated = new CrmEntity(e.type(), e.id(), f);
        entities.get(e.type()).put(e.id(), updated);
        index(e, updated);
        return updated;
    }

    private void merge(Map<String, Object> target, Map<String, Object> fields) {
        fields.forEach((k, v) -> {
            String key = k.toUpperCase(java.util.Locale.ROOT);
            if (key.equals("ID")) {
                return;
            }
            if (key.equals("PHONE") || key.equals("EMAIL")) {
                target.put(key, multiField(key, Args.asList(target.get(key)), Args.asList(v)));
            } else {
                target.put(key, v instanceof Map || v instanceof List ? v : Args.str(v));
            }
        });
        target.put("HAS_PHONE", Args.asList(target.get("PHONE")).isEmpty() ? "N" : "Y");
    }

    /**
     * Multi-field update as the box does it: an item with a known ID changes that value (an empty VALUE deletes
     * it), an item without ID is added.
     */
    private List<Object> multiField(String typeId, List<Object> existing, List<Object> changes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : existing) {
            out.add(new LinkedHashMap<>(Args.asMap(o)));
        }
        for (Object c : changes) {
            Map<String, Object> change = c instanceof Map ? Args.caseless(Args.asMap(c)) : Map.of("VALUE", c);
            String value = Args.str(change.get("VALUE"));
            String itemId = Args.str(change.get("ID"));
            Map<String, Object> known = itemId == null ? null
                    : out.stream().filter(m -> itemId.equals(Args.str(m.get("ID")))).findFirst().orElse(null);
            if (known != null) {
                if (value == null || value.isBlank()) {
                    out.remove(known);
                } else {
                    known.put("VALUE", value);
                }
            } else if (value != null && !value.isBlank()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("ID", String.valueOf(next("multifield")));
                item.put("VALUE_TYPE", Args.str(change.getOrDefault("VALUE_TYPE", "WORK")));
                item.put("VALUE", value);
                item.put("TYPE_ID", typeId);
                out.add(item);
            }
        }
        return new ArrayList<>(out);
    }

    private void index(CrmEntity before, CrmEntity after) {
        Map<String, java.util.TreeSet<Integer>> idx = phoneIndex.get(after.type());
        if (before != null) {
            for (String p : before.phones()) {
                java.util.TreeSet<Integer> ids = idx.get(PhoneNumbers.matchCode(p));
                if (ids != null) {
                    ids.remove(before.id());
                }
            }
        }
        for (String p : after.phones()) {
            String key = PhoneNumbers.matchCode(p);
            if (!key.isEmpty()) {
                idx.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(after.id());
            }
        }
    }

    /** Entities of a type with a phone of this match code ({@link PhoneNumbers#matchCode}), by id. */
    List<CrmEntity> byPhone(EntityType type, String phoneKey) {
        List<CrmEntity> out = new ArrayList<>();
        java.util.TreeSet<Integer> ids = phoneKey.isEmpty() ? null : phoneIndex.get(type).get(phoneKey);
        if (ids != null) {
            for (Integer id : ids) {
                out.add(entities.get(type).get(id));
            }
        }
        return out;
    }

    // ---- calls ----

    void addCall(Call call) {
        calls.put(call.callId, call);
        openByCaller.computeIfAbsent(call.callerId, k -> new ArrayList<>()).add(call);
    }

    /** An open call (registered, not finished): finish deletes the box's row, so a finished call is unknown. */
    Optional<Call> openCall(String callId) {
        Call c = calls.get(callId);
        return c == null || c.finished ? Optional.empty() : Optional.of(c);
    }

    /**
     * A show, hide or finish for a call that is not open: one the box never registered, or one it finished
     * already. The box answers false or "not found" and forgets it; the emulator counts it (a client sending out
     * of order, or twice).
     */
    void late(String callId, String command) {
        Call c = calls.get(callId);
        lateCommands.computeIfAbsent(callId == null ? "" : callId, k -> new ArrayList<>())
                .add(command + (c == null ? " before register" : " after finish"));
    }

    /** Finish deleted the call's row (helper.php:648): it is no longer open. */
    void close(Call call) {
        List<Call> open = openByCaller.get(call.callerId);
        if (open != null) {
            open.remove(call);
            if (open.isEmpty()) {
                openByCaller.remove(call.callerId);
            }
        }
    }

    /**
     * The client a number belongs to when register binds a call: contacts and companies are searched, leads
     * only when neither is found; CONTACT is primary before COMPANY; the lowest id first
     * ({@code crm/lib/integrity/actualentityselector.php:1022-1027}, {@code duplicatecommunicationcriterion.php:797-801}).
     */
    Optional<CrmEntity> client(String phoneKey) {
        for (EntityType t : List.of(EntityType.CONTACT, EntityType.COMPANY, EntityType.LEAD)) {
            List<CrmEntity> found = byPhone(t, phoneKey);
            if (!found.isEmpty()) {
                return Optional.of(found.getFirst());
            }
        }
        return Optional.empty();
    }

    // ---- lead sources ----

    List<CrmStatus> statuses(String entityId) {
        return statuses.stream().filter(s -> entityId == null || s.entityId().equalsIgnoreCase(entityId)).toList();
    }

    CrmStatus addStatus(String entityId, String statusId, String name, Integer sort) {
        int s = sort != null ? sort : statuses(entityId).stream().mapToInt(CrmStatus::sort).max().orElse(0) + 10;
        CrmStatus st = new CrmStatus(next("status"), entityId, statusId, name, s, false);
        statuses.add(st);
        return st;
    }

    // ---- recordings ----

    void storeFile(RecordFile file, byte[] content, RecordFile replaced) {
        if (replaced != null) {
            fileBytes.remove(replaced.fileId());
        }
        fileBytes.put(file.fileId(), content);
    }
}
