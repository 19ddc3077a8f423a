-- Click-to-call (OnExternalCallStart): one row per CALL_ID Bitrix24 registered and asked the appliance to call,
-- written before the Originate is sent, so the same click delivered twice (the cloud queue and the module's queue
-- both repeat, and a repeat may come as a new inbox row) rings the operator once.
CREATE TABLE CLICK_CALLS (
    CALL_ID     VARCHAR(200) NOT NULL PRIMARY KEY,
    USER_ID     INT NOT NULL,
    PHONE       VARCHAR(40) NOT NULL,
    EXTENSION   VARCHAR(40),
    STATE       VARCHAR(20) NOT NULL,
    DETAIL      VARCHAR(500),
    RECEIVED_AT TIMESTAMP NOT NULL,
    UPDATED_AT  TIMESTAMP NOT NULL
);
