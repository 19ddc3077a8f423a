-- When the appliance last followed each PBX (its last AMI event or tick while the link was up), kept across
-- restarts: a call that ended while the appliance was away is counted up to that moment and not beyond.
CREATE TABLE PBX_LINKS (
    PBX_ID   VARCHAR(64)  NOT NULL PRIMARY KEY,
    SEEN_AT  TIMESTAMP    NOT NULL
);
