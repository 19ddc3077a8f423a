DROP TABLE IF EXISTS b24bridge_connector_queue;
DROP TABLE IF EXISTS b24bridge_connector_token;
DROP TABLE IF EXISTS b24bridge_connector_state;
