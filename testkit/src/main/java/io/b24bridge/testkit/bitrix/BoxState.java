package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The whole CRM state of the emulated box at one moment ({@code GET /_emulator/state}, {@code emu.state()}):
 * a value, safe to keep and compare. Secrets (tokens, webhook secrets, the application token) are masked.
 */
public record BoxState(Instant at, Deployment deployment, AuthRules authRules, ApplicationView application, List<User> users,
                       List<CrmEntity> contacts, List<CrmEntity> companies, List<CrmEntity> leads,
                       List<CrmStatus> statuses, List<CallView> calls, List<Activity> activities, List<Task> tasks,
                       List<TimelineComment> comments, List<EventBinding> events, List<ExternalLine> lines,
                       List<TokenView> tokens, List<WebhookView> webhooks, List<Delivery> deliveries) {

    /** The local application: whether it is installed, and where its install handler is. */
    public record ApplicationView(String clientId, boolean installed, String applicationToken, String memberId,
                                  String installHandler) {
    }

    /** An issued token pair, masked. */
    public record TokenView(String accessToken, String refreshToken, int userId, Instant issuedAt,
                            Instant expiresAt, String via, boolean expired, boolean refreshUsed) {
    }

    /** A seeded inbound webhook, its secret masked. */
    public record WebhookView(int userId, String secret, List<String> scopes) {
    }

    public Optional<CallView> call(String callId) {
        return calls.stream().filter(c -> c.callId().equals(callId)).findFirst();
    }

    public Optional<CrmEntity> lead(int id) {
        return leads.stream().filter(l -> l.id() == id).findFirst();
    }

    public Optional<CrmEntity> contact(int id) {
        return contacts.stream().filter(l -> l.id() == id).findFirst();
    }

    /** The call activities finish created for this CALL_ID. */
    public List<Activity> activitiesOf(String callId) {
        return activities.stream().filter(a -> a.callId().equals(callId)).toList();
    }

    public Optional<User> user(int id) {
        return users.stream().filter(u -> u.id() == id).findFirst();
    }
}
