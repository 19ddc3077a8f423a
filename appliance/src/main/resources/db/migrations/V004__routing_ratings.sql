-- The caller's rating: the CRM entity each call is bound to (register's answer), so a rating that comes
-- after the finish can go to that entity's timeline; and every rating, kept per operator for the dashboard.

ALTER TABLE CRM_CALLS ADD COLUMN CRM_ENTITY_TYPE VARCHAR(20);
ALTER TABLE CRM_CALLS ADD COLUMN CRM_ENTITY_ID INT;

-- one row per rated call; OPERATOR is the extension that talked (a mobile's responsible for a forwarded call);
-- DELIVERY: FINISH (the activity's VOTE) or COMMENT (a timeline comment, the rating came after the finish)
CREATE TABLE OPERATOR_RATINGS (
    ID          BIGINT        NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    CALL_KEY    VARCHAR(200)  NOT NULL,
    OPERATOR    VARCHAR(40)   NOT NULL,
    VOTE        SMALLINT      NOT NULL,
    RATED_AT    TIMESTAMP     NOT NULL,
    DELIVERY    VARCHAR(16)   NOT NULL
);

CREATE INDEX OPERATOR_RATINGS_BY_OPERATOR ON OPERATOR_RATINGS (OPERATOR, RATED_AT);
