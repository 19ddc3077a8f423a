-- The settings the control panel edits: one JSON document per section, versioned.
-- Every change (a PUT of one section or an import of all) gets the next version number.

CREATE TABLE SETTINGS_CHANGE (
    VERSION     BIGINT       NOT NULL PRIMARY KEY,
    CHANGED_AT  TIMESTAMP    NOT NULL,
    KIND        VARCHAR(16)  NOT NULL,
    SECTIONS    VARCHAR(512) NOT NULL,
    CHANGED_BY  VARCHAR(128)
);

CREATE TABLE SETTINGS_SECTION (
    NAME        VARCHAR(64)  NOT NULL PRIMARY KEY,
    VERSION     BIGINT       NOT NULL REFERENCES SETTINGS_CHANGE (VERSION),
    BODY        CLOB         NOT NULL
);

-- every value a section ever had, for the audit trail and a later "undo"
CREATE TABLE SETTINGS_HISTORY (
    VERSION     BIGINT       NOT NULL REFERENCES SETTINGS_CHANGE (VERSION),
    NAME        VARCHAR(64)  NOT NULL,
    BODY        CLOB         NOT NULL,
    PRIMARY KEY (VERSION, NAME)
);
