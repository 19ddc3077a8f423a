-- Website callbacks (OnExternalCallBackStart) acted on: one row per form request, claimed before anything rings, so
-- the same request delivered twice (both event paths, a redelivery) is one callback; its attempts, the CRM call it
-- was registered under and what became of it (rung, a task outside working hours, missed after the retries).
CREATE TABLE CALLBACKS (
    ID           BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    FORM_KEY     VARCHAR(200) NOT NULL,
    INBOX_ID     BIGINT NOT NULL,
    PHONE        VARCHAR(40) NOT NULL,
    ENTITY_TYPE  VARCHAR(20),
    ENTITY_ID    INT,
    LINE_NUMBER  VARCHAR(64),
    TEXT_SAID    VARCHAR(1000),
    STATE        VARCHAR(20) NOT NULL,
    ATTEMPTS     INT NOT NULL DEFAULT 0,
    CALL_ID      VARCHAR(200),
    USER_ID      INT,
    TASK_ID      INT,
    DETAIL       VARCHAR(500),
    RECEIVED_AT  TIMESTAMP NOT NULL,
    UPDATED_AT   TIMESTAMP NOT NULL
);
CREATE INDEX CALLBACKS_FORM ON CALLBACKS (FORM_KEY, RECEIVED_AT);
CREATE UNIQUE INDEX CALLBACKS_INBOX ON CALLBACKS (INBOX_ID);
