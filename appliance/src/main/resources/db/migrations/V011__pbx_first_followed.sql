-- The first moment the appliance followed each PBX: the reconciliation registers no call that began before it, so
-- a new installation does not replay the PBX's history into Bitrix24. NULL for the links of an earlier version: they
-- were followed all along, and reconcile their whole lookback.
ALTER TABLE PBX_LINKS ADD COLUMN FIRST_SEEN TIMESTAMP;
