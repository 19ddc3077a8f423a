<?php

declare(strict_types=1);

namespace B24bridge\Connector\Auth;

use B24bridge\Connector\Clock;
use B24bridge\Connector\Module;
use Bitrix\Main\Application;

/**
 * The module's tokens, in b24bridge_connector_token. Only a SHA-256 of each token is stored: tokens are 256 random
 * bits, so a hash is enough to look them up and useless to whoever reads the table. A refresh token works once:
 * redeeming deletes it in the same statement that proves it existed, so a replayed one finds nothing.
 */
final class TokenStore
{
	public const TABLE = 'b24bridge_connector_token';
	public const ACCESS_TTL = 3600;
	public const REFRESH_TTL = 30 * 86400;
	/** Expired tokens stay this long so that their use answers expired_token rather than invalid_token. */
	private const KEEP_EXPIRED = 86400;

	/** A pull mints a token per event: old tokens are purged once per request, not once per token. */
	private bool $purged = false;

	public function issue(int $userId, string $scope, ?int $eventSession, bool $withRefresh): IssuedTokens
	{
		$now = Clock::seconds();
		if (!$this->purged)
		{
			$this->purgeExpired($now);
			$this->purged = true;
		}
		$access = self::newToken();
		$refresh = $withRefresh ? self::newToken() : null;
		$rows = [$this->row($access, 'A', $userId, $scope, $now + self::ACCESS_TTL, $eventSession)];
		if ($refresh !== null)
		{
			$rows[] = $this->row($refresh, 'R', $userId, $scope, $now + self::REFRESH_TTL, null);
		}
		Application::getConnection()->queryExecute(
			'INSERT INTO ' . self::TABLE . ' (TOKEN_HASH, KIND, USER_ID, SCOPE, EXPIRES, EVENT_SESSION) VALUES ' . implode(', ', $rows)
		);

		return new IssuedTokens($access, $refresh, $now + self::ACCESS_TTL, self::ACCESS_TTL, $userId, $scope);
	}

	/** The access token's record, expired or not (the caller tells expired from unknown); null when unknown. */
	public function findAccess(string $token): ?TokenRecord
	{
		$row = Application::getConnection()->query(
			'SELECT USER_ID, SCOPE, EXPIRES, EVENT_SESSION FROM ' . self::TABLE . " WHERE TOKEN_HASH = '" . self::hash($token) . "' AND KIND = 'A'"
		)->fetch();

		return $row === false ? null : self::record($row);
	}

	/** Uses a refresh token up: its record if it was valid and unused, else null. */
	public function redeemRefresh(string $token): ?TokenRecord
	{
		$connection = Application::getConnection();
		$where = " WHERE TOKEN_HASH = '" . self::hash($token) . "' AND KIND = 'R' AND EXPIRES > " . Clock::seconds();
		$row = $connection->query('SELECT USER_ID, SCOPE, EXPIRES, EVENT_SESSION FROM ' . self::TABLE . $where)->fetch();
		if ($row === false)
		{
			return null;
		}
		$connection->queryExecute('DELETE FROM ' . self::TABLE . $where);

		return $connection->getAffectedRowsCount() === 1 ? self::record($row) : null;
	}

	public function revokeAll(): void
	{
		Application::getConnection()->queryExecute('DELETE FROM ' . self::TABLE);
	}

	public function count(): int
	{
		return (int)Application::getConnection()->queryScalar('SELECT COUNT(*) FROM ' . self::TABLE);
	}

	public static function hash(string $token): string
	{
		return hash('sha256', $token);
	}

	private function purgeExpired(int $now): void
	{
		Application::getConnection()->queryExecute('DELETE FROM ' . self::TABLE . ' WHERE EXPIRES < ' . ($now - self::KEEP_EXPIRED));
	}

	private function row(string $token, string $kind, int $userId, string $scope, int $expires, ?int $eventSession): string
	{
		$sqlScope = Application::getConnection()->getSqlHelper()->forSql($scope);

		return "('" . self::hash($token) . "', '" . $kind . "', " . $userId . ", '" . $sqlScope . "', " . $expires . ', '
			. ($eventSession === null ? 'NULL' : (string)$eventSession) . ')';
	}

	private static function record(array $row): TokenRecord
	{
		return new TokenRecord((int)$row['USER_ID'], (string)$row['SCOPE'], (int)$row['EXPIRES'],
			$row['EVENT_SESSION'] === null ? null : (int)$row['EVENT_SESSION']);
	}

	private static function newToken(): string
	{
		return Module::TOKEN_PREFIX . rtrim(strtr(base64_encode(random_bytes(32)), '+/', '-_'), '=');
	}
}
