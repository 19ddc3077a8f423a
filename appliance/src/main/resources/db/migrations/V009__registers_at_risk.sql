-- Calls that may be in the CRM twice (outbox.RegisterRisks, its one owner): a register whose answer was lost and
-- that could only be repeated after the box's 30-minute window (counted from CALL_START_DATE) had closed, on a box
-- without the b24bridge module's b24bridge.call.find to tell whether the first one arrived. Named in /health and the
-- log until an operator has checked the CRM; CALL_ID is the one the repeat got.
CREATE TABLE REGISTERS_AT_RISK (
    CALL_KEY       VARCHAR(200) NOT NULL PRIMARY KEY,
    CLIENT_NUMBER  VARCHAR(64),
    STARTED_AT     TIMESTAMP    NOT NULL,
    CALL_ID        VARCHAR(200),
    NOTED_AT       TIMESTAMP    NOT NULL
);
