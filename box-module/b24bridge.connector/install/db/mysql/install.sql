-- b24bridge.connector: run by the installer through Connection::executeSqlBatch (MySQL 5.7+ / MariaDB 10.3+).

-- Events for the appliance. No tokens in here: they are minted when an event is pulled.
CREATE TABLE IF NOT EXISTS b24bridge_connector_queue (
	ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	CREATED_MS BIGINT NOT NULL,
	EVENT_NAME VARCHAR(255) NOT NULL,
	EVENT_HANDLER_ID INT NOT NULL DEFAULT 0,
	LOCAL_USER INT NOT NULL DEFAULT 0,
	EVENT_SESSION INT NULL,
	DOMAIN VARCHAR(255) NOT NULL DEFAULT '',
	TS BIGINT NOT NULL,
	SEND_AUTH CHAR(1) NOT NULL DEFAULT 'Y',
	SEND_REFRESH_TOKEN CHAR(1) NOT NULL DEFAULT 'N',
	DATA MEDIUMTEXT NOT NULL,
	DELIVERIES INT NOT NULL DEFAULT 0,
	ACKED CHAR(1) NOT NULL DEFAULT 'N',
	PRIMARY KEY (ID),
	KEY ix_b24bridge_queue_acked (ACKED, ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Tokens the module issued, by SHA-256 of the token; KIND A = access, R = refresh.
CREATE TABLE IF NOT EXISTS b24bridge_connector_token (
	TOKEN_HASH CHAR(64) NOT NULL,
	KIND CHAR(1) NOT NULL,
	USER_ID INT NOT NULL,
	SCOPE VARCHAR(255) NOT NULL,
	EXPIRES BIGINT NOT NULL,
	EVENT_SESSION INT NULL,
	PRIMARY KEY (TOKEN_HASH),
	KEY ix_b24bridge_token_expires (EXPIRES)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Small facts written on every pull rather than into b_option (whose writes clear the options cache).
CREATE TABLE IF NOT EXISTS b24bridge_connector_state (
	NAME VARCHAR(50) NOT NULL,
	VALUE BIGINT NOT NULL,
	PRIMARY KEY (NAME)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
