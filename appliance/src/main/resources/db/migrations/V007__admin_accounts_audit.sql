-- Who may use the admin listener, and what they did (issue 13).
-- Passwords are Argon2id hashes (PHC strings); API tokens are kept as the SHA-256 of their secret part, so a
-- copy of the database lets nobody in. Sessions of the panel live in memory only.
CREATE TABLE ADMIN_ACCOUNTS (
    NAME           VARCHAR(64)   NOT NULL PRIMARY KEY,
    ROLE           VARCHAR(16)   NOT NULL,
    PASSWORD_HASH  VARCHAR(256),
    CERT_SUBJECT   VARCHAR(1024),
    DISABLED       SMALLINT      NOT NULL DEFAULT 0,
    CREATED_AT     TIMESTAMP     NOT NULL,
    CHANGED_AT     TIMESTAMP     NOT NULL
);

CREATE TABLE API_TOKENS (
    ID            VARCHAR(16)  NOT NULL PRIMARY KEY,
    ACCOUNT       VARCHAR(64)  NOT NULL REFERENCES ADMIN_ACCOUNTS (NAME) ON DELETE CASCADE,
    NAME          VARCHAR(100) NOT NULL,
    SECRET_HASH   CHAR(64)     NOT NULL,
    CREATED_AT    TIMESTAMP    NOT NULL,
    LAST_USED_AT  TIMESTAMP
);

-- Every login (good and bad), settings change, dead letter retried, backup, account and token change, install
-- armed or refused. DETAIL is JSON without secrets. IDs come from the appliance (see V005 for why not identity).
CREATE TABLE AUDIT_LOG (
    ID       BIGINT        NOT NULL PRIMARY KEY,
    HAPPENED_AT TIMESTAMP  NOT NULL,
    ACTOR    VARCHAR(64)   NOT NULL,
    VIA      VARCHAR(16)   NOT NULL,
    ADDRESS  VARCHAR(64),
    ACTION   VARCHAR(40)   NOT NULL,
    TARGET   VARCHAR(200),
    OUTCOME  VARCHAR(16)   NOT NULL,
    DETAIL   CLOB
);
CREATE INDEX AUDIT_LOG_HAPPENED_AT ON AUDIT_LOG (HAPPENED_AT);
