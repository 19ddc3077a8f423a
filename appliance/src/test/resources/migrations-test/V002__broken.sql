-- the first statement works, the second refers to a table that does not exist
CREATE TABLE HALF_DONE (ID INT);
INSERT INTO NO_SUCH_TABLE VALUES (1);
