package io.b24bridge.testkit.bitrix;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How an event leaves the box and reaches its handler: the seam a deployment fills ({@code Sender::send()} hands
 * the batch to the provider {@code Sender::setProvider()} set, rest/lib/event/sender.php:327-381). A box with
 * internet gives it to Bitrix's cloud queue ({@link CloudQueue}); a box with the b24bridge module POSTs it over the
 * LAN itself. What the box queues carries no tokens (sender.php:239-259): the sender mints {@code auth[...]}.
 */
interface EventSender {

    /**
     * One event for one handler, as the box queues it.
     *
     * @param handler      where it goes; null for an install without an install handler (tokens only)
     * @param userId       the user the event is tied to (tokens for them go along), null for none (a website
     *                     visitor's callback form: no tokens at all)
     * @param withRefresh  whether a refresh token goes along (OnAppInstall only)
     * @param appToken     {@code auth[application_token]}: the application's, or an outbound webhook's code
     */
    record Outgoing(String event, String handler, Integer bindingId, EventBinding.Kind kind, Map<String, Object> data,
                    Integer userId, boolean withRefresh, String appToken) {
    }

    /**
     * What sending set off: the tokens the event carries (null when none), and its delivery in the background
     * (null when the event had no handler).
     */
    record Sent(Tokens tokens, CompletableFuture<Delivery> delivery) {
    }

    Sent send(Outgoing event);

    /** Every delivery kept (the last 1000), oldest first. */
    List<Delivery> deliveries();

    void clear();

    void close();
}
