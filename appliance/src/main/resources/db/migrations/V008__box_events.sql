-- The inbox of events from the Bitrix24 box (bitrix.events.EventInbox, its one owner): every event is stored here
-- before the box (the cloud queue's POST) is answered or the b24bridge module's queue is acknowledged, and handled
-- from here by the listeners, in the order received, at least once. DEDUPE_KEY makes a repeat of an event already
-- stored a no-op: "module:<queue id>" for the module's events, "cloud:<sha-256 of the event>" for the cloud's.
-- PAYLOAD is the event as JSON without its secrets; the tokens it brought (an install) are in SECRETS, AES-GCM
-- ciphertext under the key of the application's tokens (storage.dir/keys), never in clear.
-- STATE: PENDING (to handle, at NEXT_AT), HANDLED, DEAD (its listeners failed for good; shown in /health).
CREATE TABLE BOX_EVENTS (
    ID           BIGINT        NOT NULL PRIMARY KEY,
    DEDUPE_KEY   VARCHAR(200)  NOT NULL,
    SOURCE       VARCHAR(16)   NOT NULL,
    EVENT        VARCHAR(64)   NOT NULL,
    PAYLOAD      CLOB          NOT NULL,
    SECRETS      VARCHAR(8000),
    STATE        VARCHAR(16)   NOT NULL,
    ATTEMPTS     INT           NOT NULL,
    NEXT_AT      TIMESTAMP     NOT NULL,
    LAST_ERROR   VARCHAR(2000),
    RECEIVED_AT  TIMESTAMP     NOT NULL,
    HANDLED_AT   TIMESTAMP,
    CONSTRAINT BOX_EVENTS_DEDUPE UNIQUE (DEDUPE_KEY)
);

CREATE INDEX BOX_EVENTS_WAITING ON BOX_EVENTS (STATE, NEXT_AT, ID);
