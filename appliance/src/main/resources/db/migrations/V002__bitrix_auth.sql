-- The local application's OAuth tokens (contract §1), one row: an appliance serves one box.
-- Token columns hold AES-GCM ciphertext (base64); the key lives in storage.dir/keys, not in the database,
-- so a copied database or backup alone does not give access to the box.
CREATE TABLE BITRIX_AUTH (
    ID                 INT           NOT NULL PRIMARY KEY CHECK (ID = 1),
    ACCESS_TOKEN       VARCHAR(4096) NOT NULL,
    REFRESH_TOKEN      VARCHAR(4096) NOT NULL,
    EXPIRES_AT         TIMESTAMP     NOT NULL,
    APPLICATION_TOKEN  VARCHAR(4096),
    MEMBER_ID          VARCHAR(128),
    DOMAIN             VARCHAR(255),
    SERVER_ENDPOINT    VARCHAR(512),
    CLIENT_ENDPOINT    VARCHAR(512),
    SOURCE             VARCHAR(32)   NOT NULL,
    UPDATED_AT         TIMESTAMP     NOT NULL
);
