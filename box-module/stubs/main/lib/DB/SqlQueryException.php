<?php

declare(strict_types=1);

namespace Bitrix\Main\DB;

/** Stub of main/lib/db/sqlqueryexception.php (extends SqlException extends SystemException). */
class SqlQueryException extends \Bitrix\Main\SystemException
{
	public function __construct(string $message, private readonly string $databaseMessage, private readonly string $query)
	{
		parent::__construct($message . ': ' . $databaseMessage);
	}

	public function getDatabaseMessage(): string
	{
		return $this->databaseMessage;
	}

	public function getQuery(): string
	{
		return $this->query;
	}
}
