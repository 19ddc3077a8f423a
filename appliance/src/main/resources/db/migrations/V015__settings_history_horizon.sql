-- The oldest settings version the history can still rebuild whole (the panel's view and restore of a version):
-- storage.retention.settings-history removes older section values, so a version before it would come back with
-- some sections at their defaults. One row, raised by each pruning; none while nothing was ever pruned.
CREATE TABLE SETTINGS_HISTORY_HORIZON (
    ID            SMALLINT  NOT NULL PRIMARY KEY,
    FROM_VERSION  BIGINT    NOT NULL
);
