<?php

declare(strict_types=1);

namespace Bitrix\Main\DB;

/** Stub of main/lib/db/mysqlisqlhelper.php: escaping as mysqli_real_escape_string does, quoting with backticks. */
class SqlHelper
{
	public function __construct(private readonly \PDO $pdo)
	{
	}

	/** forSql($value, $maxLength = 0): the value escaped for a '...' literal, without the quotes. */
	public function forSql(string $value, int $maxLength = 0): string
	{
		if ($maxLength > 0)
		{
			$value = mb_substr($value, 0, $maxLength);
		}

		return substr($this->pdo->quote($value), 1, -1);
	}

	public function quote(string $identifier): string
	{
		return '`' . str_replace('`', '``', $identifier) . '`';
	}

	/** getInsertIgnore($tableName, $fields, $sql) (mysqlisqlhelper.php): MySQL's INSERT IGNORE. */
	public function getInsertIgnore(string $tableName, string $fields, string $sql): string
	{
		return 'INSERT IGNORE INTO ' . $tableName . ' ' . $fields . ' ' . $sql;
	}

	public function getQueryDelimiter(): string
	{
		return ';';
	}
}
