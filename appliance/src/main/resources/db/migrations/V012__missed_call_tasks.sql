-- Missed-call tasks (settings, task-templates): one open task per caller within the window.
-- TASK_KEY is the appliance's own key of a task, made before tasks.task.add goes and written into the task
-- (a mark in its description), so an add whose answer was lost is found on the box instead of made twice.
CREATE TABLE MISSED_CALL_TASKS (
    TASK_KEY       VARCHAR(200) NOT NULL PRIMARY KEY,
    CALLER         VARCHAR(64)  NOT NULL,
    CLIENT_NUMBER  VARCHAR(64)  NOT NULL,
    ENTITY_TYPE    VARCHAR(16)  NOT NULL,
    ENTITY_ID      INTEGER      NOT NULL,
    TEMPLATE_ID    VARCHAR(64)  NOT NULL,
    DID            VARCHAR(64),
    RESPONSIBLE_ID INTEGER      NOT NULL,
    FIRST_AT       TIMESTAMP    NOT NULL,
    LAST_AT        TIMESTAMP    NOT NULL,
    TRIES          INTEGER      NOT NULL,
    LAST_WAIT      INTEGER      NOT NULL,
    STATE          VARCHAR(16)  NOT NULL,
    ADD_TRIED      SMALLINT     NOT NULL DEFAULT 0,
    TASK_ID        INTEGER,
    REACHED_NOTE   VARCHAR(500)
);
CREATE INDEX MISSED_CALL_TASKS_CALLER ON MISSED_CALL_TASKS (CALLER, STATE);
-- each missed call counted once, whichever task it counted in
CREATE TABLE MISSED_CALL_TRIES (
    CALL_KEY VARCHAR(200) NOT NULL PRIMARY KEY,
    TASK_KEY VARCHAR(200) NOT NULL
);
-- when each caller was last reached (an answered call of theirs or to them): a missed call before that moment
-- whose task command comes late (the box was away) makes no task
CREATE TABLE CALLERS_REACHED (
    CALLER     VARCHAR(64) NOT NULL PRIMARY KEY,
    REACHED_AT TIMESTAMP   NOT NULL
);
-- whether the entity register bound a call to was created by that register (a lead for an unknown number)
ALTER TABLE CRM_CALLS ADD COLUMN CRM_ENTITY_CREATED SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX CRM_CALLS_ENTITY ON CRM_CALLS (CRM_ENTITY_TYPE, CRM_ENTITY_ID);
