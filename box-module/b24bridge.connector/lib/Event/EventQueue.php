<?php

declare(strict_types=1);

namespace B24bridge\Connector\Event;

use B24bridge\Connector\Clock;
use Bitrix\Main\Application;

/**
 * The durable queue of events for the appliance (b24bridge_connector_queue).
 *
 * Ids only grow: AUTO_INCREMENT, seeded at install from the clock (install time in ms × 1000), so ids of a reinstalled
 * module stay above those of the last install, and the table always keeps the last acknowledged row (ACKED = 'Y',
 * first the install's sentinel), so MySQL servers that recompute AUTO_INCREMENT from MAX(ID) at restart (MySQL 5.7,
 * MariaDB before 10.2.4) never hand out an old id again. Rows are "undelivered" until acknowledged.
 *
 * Order: concurrent box hits commit their inserts in any order, so a reader could see id 12 before id 11 commits.
 * A pull therefore stops at a gap in the ids until the row after the gap is SETTLE_MS old (a gap that old is an insert
 * that failed, whose id is gone for good); rows below the acknowledged id that commit late are still delivered.
 */
final class EventQueue
{
	public const TABLE = 'b24bridge_connector_queue';
	public const STATE_TABLE = 'b24bridge_connector_state';
	public const SETTLE_MS = 500;

	/** @param list<QueuedEvent> $events */
	public function enqueue(array $events): void
	{
		if ($events === [])
		{
			return;
		}
		$connection = Application::getConnection();
		$h = $connection->getSqlHelper();
		$now = Clock::millis();
		$values = [];
		foreach ($events as $e)
		{
			$values[] = '(' . $now . ", '" . $h->forSql($e->eventName) . "', " . $e->handlerId . ', ' . $e->localUser . ', '
				. ($e->eventSession ?? 'NULL') . ", '" . $h->forSql($e->domain) . "', " . $e->ts . ", '" . ($e->sendAuth ? 'Y' : 'N')
				. "', '" . ($e->sendRefreshToken ? 'Y' : 'N') . "', '"
				. $h->forSql(json_encode($e->data, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE)) . "')";
		}
		$connection->queryExecute(
			'INSERT INTO ' . self::TABLE . ' (CREATED_MS, EVENT_NAME, EVENT_HANDLER_ID, LOCAL_USER, EVENT_SESSION, DOMAIN, TS, SEND_AUTH, SEND_REFRESH_TOKEN, DATA) VALUES '
			. implode(', ', $values)
		);
	}

	/** @return list<array> the oldest undelivered rows that can go out now, in id order */
	public function deliverable(int $limit): array
	{
		$connection = Application::getConnection();
		$rows = $connection->query('SELECT * FROM ' . self::TABLE . " WHERE ACKED = 'N' ORDER BY ID LIMIT " . $limit)->fetchAll();
		if ($rows === [])
		{
			return [];
		}
		$previous = $this->ackedThrough();
		$now = Clock::millis();
		$deliverable = [];
		foreach ($rows as $row)
		{
			$id = (int)$row['ID'];
			if ($id > $previous + 1 && $now - (int)$row['CREATED_MS'] < self::SETTLE_MS)
			{
				break; // a lower id may still be committing
			}
			$deliverable[] = $row;
			$previous = max($previous, $id);
		}

		return $deliverable;
	}

	/** @param list<int> $ids */
	public function markDelivered(array $ids): void
	{
		if ($ids === [])
		{
			return;
		}
		Application::getConnection()->queryExecute(
			'UPDATE ' . self::TABLE . ' SET DELIVERIES = DELIVERIES + 1 WHERE ID IN (' . implode(', ', array_map('intval', $ids)) . ')'
		);
	}

	/**
	 * Acknowledges every delivered event up to $id: they leave the queue, $id stays as the acknowledged mark. Events
	 * below $id that were never delivered (late commits) stay and go out with the next pull.
	 */
	public function acknowledge(int $id): AckOutcome
	{
		$connection = Application::getConnection();
		$connection->startTransaction();
		try
		{
			$connection->queryExecute('UPDATE ' . self::TABLE . " SET ACKED = 'Y' WHERE ID = " . $id . " AND ACKED = 'N' AND DELIVERIES > 0");
			if ($connection->getAffectedRowsCount() !== 1)
			{
				$connection->rollbackTransaction();

				return $this->whyNot($id);
			}
			$connection->queryExecute('DELETE FROM ' . self::TABLE . ' WHERE ID < ' . $id . " AND ACKED = 'N' AND DELIVERIES > 0");
			$acknowledged = $connection->getAffectedRowsCount() + 1;
			$connection->queryExecute('DELETE FROM ' . self::TABLE . ' WHERE ID < ' . $id . " AND ACKED = 'Y'");
			$connection->commitTransaction();
		}
		catch (\Throwable $e)
		{
			$connection->rollbackTransaction();
			throw $e;
		}

		return AckOutcome::acknowledged($acknowledged, $this->ackedThrough());
	}

	public function ackedThrough(): int
	{
		return (int)Application::getConnection()->queryScalar('SELECT MAX(ID) FROM ' . self::TABLE . " WHERE ACKED = 'Y'");
	}

	public function depth(): int
	{
		return (int)Application::getConnection()->queryScalar('SELECT COUNT(*) FROM ' . self::TABLE . " WHERE ACKED = 'N'");
	}

	public function oldestUndelivered(): ?array
	{
		$row = Application::getConnection()->query(
			'SELECT ID, EVENT_NAME, CREATED_MS, DELIVERIES FROM ' . self::TABLE . " WHERE ACKED = 'N' ORDER BY ID LIMIT 1"
		)->fetch();

		return $row === false ? null : $row;
	}

	public function recordPull(): void
	{
		Application::getConnection()->queryExecute('UPDATE ' . self::STATE_TABLE . ' SET VALUE = ' . Clock::millis() . " WHERE NAME = 'last_pull_ms'");
	}

	public function lastPullMs(): ?int
	{
		$value = (int)Application::getConnection()->queryScalar('SELECT VALUE FROM ' . self::STATE_TABLE . " WHERE NAME = 'last_pull_ms'");

		return $value > 0 ? $value : null;
	}

	private function whyNot(int $id): AckOutcome
	{
		$row = Application::getConnection()->query('SELECT ACKED, DELIVERIES FROM ' . self::TABLE . ' WHERE ID = ' . $id)->fetch();
		$ackedThrough = $this->ackedThrough();
		if (($row !== false && $row['ACKED'] === 'Y') || ($row === false && $id <= $ackedThrough))
		{
			return AckOutcome::refused('ALREADY_ACKNOWLEDGED', 'Events up to ' . $ackedThrough . ' are already acknowledged; nothing changed', $ackedThrough);
		}

		return AckOutcome::refused('NOT_DELIVERED', 'Event ' . $id . ' was never delivered by b24bridge.events.pull; acknowledge only ids a pull returned. Nothing changed', $ackedThrough);
	}
}
