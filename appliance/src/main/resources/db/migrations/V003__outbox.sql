-- The call spine's durable state: what the CRM knows of each call, and every command for the box,
-- written in the same transaction as the call change that caused it (docs/architecture.md).

-- one row per call the CRM hears of; STATE is the lifecycle's JSON (CallCrmState)
CREATE TABLE CRM_CALLS (
    CALL_KEY        VARCHAR(200) NOT NULL PRIMARY KEY,
    BITRIX_CALL_ID  VARCHAR(200),
    STATE           CLOB         NOT NULL,
    NEXT_SEQ        INT          NOT NULL,
    ENDED           SMALLINT     NOT NULL,
    CREATED_AT      TIMESTAMP    NOT NULL,
    UPDATED_AT      TIMESTAMP    NOT NULL
);

-- commands for the box, in order per call (SEQ); (CALL_KEY, SEQ) is each command's idempotency key.
-- STATE: PENDING (to send), SENDING (sent, answer not recorded: a crash may have cut in), DONE, DEAD
-- (failed for good: an operator may retry it; later commands of the call wait behind it)
CREATE TABLE OUTBOX (
    ID          BIGINT        NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    CALL_KEY    VARCHAR(200)  NOT NULL REFERENCES CRM_CALLS (CALL_KEY),
    SEQ         INT           NOT NULL,
    KIND        VARCHAR(32)   NOT NULL,
    PAYLOAD     CLOB          NOT NULL,
    STATE       VARCHAR(16)   NOT NULL,
    ATTEMPTS    INT           NOT NULL,
    NEXT_AT     TIMESTAMP     NOT NULL,
    LAST_ERROR  VARCHAR(2000),
    CREATED_AT  TIMESTAMP     NOT NULL,
    DONE_AT     TIMESTAMP,
    CONSTRAINT OUTBOX_CALL_SEQ UNIQUE (CALL_KEY, SEQ)
);

CREATE INDEX OUTBOX_READY ON OUTBOX (STATE, NEXT_AT);
