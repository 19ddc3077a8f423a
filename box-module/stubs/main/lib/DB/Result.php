<?php

declare(strict_types=1);

namespace Bitrix\Main\DB;

/** Stub of main/lib/db/result.php: fetch() gives an associative row or false, values as the driver gives them. */
class Result
{
	public function __construct(private readonly \PDOStatement $statement)
	{
	}

	public function fetch(): array|false
	{
		if ($this->statement->columnCount() === 0)
		{
			return false;
		}

		return $this->statement->fetch(\PDO::FETCH_ASSOC);
	}

	/** @return list<array<string, mixed>> */
	public function fetchAll(): array
	{
		$rows = [];
		while (($row = $this->fetch()) !== false)
		{
			$rows[] = $row;
		}

		return $rows;
	}
}
