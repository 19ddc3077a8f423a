<?php

declare(strict_types=1);

namespace Bitrix\Main\DB;

/**
 * Stub of the box's MySQL connection (main/lib/db/connection.php, main/lib/db/mysqliconnection.php) over PDO, talking
 * to a real MariaDB: the module's SQL runs on the engine a box runs. Only the calls the module and the other stubs make.
 */
class Connection
{
	private int $affectedRows = 0;
	private int $transactionLevel = 0;
	private readonly SqlHelper $sqlHelper;

	public function __construct(private readonly \PDO $pdo)
	{
		$this->pdo->setAttribute(\PDO::ATTR_ERRMODE, \PDO::ERRMODE_EXCEPTION);
		$this->pdo->setAttribute(\PDO::ATTR_EMULATE_PREPARES, true);
		// the box reads through mysqli without native types: every value arrives as a string (or null)
		$this->pdo->setAttribute(\PDO::ATTR_STRINGIFY_FETCHES, true);
		$this->sqlHelper = new SqlHelper($pdo);
	}

	/** Connection::query($sql) returns a Result to fetch() from (connection.php, query()). */
	public function query(string $sql): Result
	{
		try
		{
			$statement = $this->pdo->query($sql);
		}
		catch (\PDOException $e)
		{
			throw new SqlQueryException('Mysql query error', $e->getMessage(), $sql);
		}
		$this->affectedRows = $statement->rowCount();

		return new Result($statement);
	}

	/** queryExecute() runs a statement without a result (connection.php, queryExecute()). */
	public function queryExecute(string $sql): void
	{
		$this->query($sql);
	}

	public function queryScalar(string $sql): mixed
	{
		$row = $this->query($sql)->fetch();

		return $row === false ? null : reset($row);
	}

	/** getAffectedRowsCount(): rows changed by the last statement (connection.php, abstract getAffectedRowsCount()). */
	public function getAffectedRowsCount(): int
	{
		return $this->affectedRows;
	}

	public function getInsertedId(): int
	{
		return (int)$this->pdo->lastInsertId();
	}

	public function getSqlHelper(): SqlHelper
	{
		return $this->sqlHelper;
	}

	/** Nested calls count like the box's (connection.php startTransaction/commitTransaction keep a level). */
	public function startTransaction(): void
	{
		if ($this->transactionLevel++ === 0)
		{
			$this->pdo->beginTransaction();
		}
	}

	public function commitTransaction(): void
	{
		if (--$this->transactionLevel === 0)
		{
			$this->pdo->commit();
		}
	}

	public function rollbackTransaction(): void
	{
		if ($this->transactionLevel > 0)
		{
			$this->transactionLevel = 0;
			$this->pdo->rollBack();
		}
	}

	/** isTableExists($tableName) (main/lib/db/connection.php:704). */
	public function isTableExists(string $tableName): bool
	{
		$name = $this->sqlHelper->forSql($tableName);

		return $this->query("SHOW TABLES LIKE '" . $name . "'")->fetch() !== false;
	}

	/** dropTable($tableName) (main/lib/db/connection.php:872). */
	public function dropTable(string $tableName): void
	{
		$this->queryExecute('DROP TABLE ' . $this->sqlHelper->quote($tableName));
	}

	/**
	 * executeSqlBatch($sqlBatch, $stopOnError = false): splits on the delimiter outside quotes and comments and
	 * runs the statements one by one, returning error texts (main/lib/db/connection.php, executeSqlBatch()).
	 */
	public function executeSqlBatch(string $sqlBatch, bool $stopOnError = false): array
	{
		$errors = [];
		foreach (self::splitStatements($sqlBatch) as $statement)
		{
			try
			{
				$this->queryExecute($statement);
			}
			catch (SqlQueryException $e)
			{
				$errors[] = $e->getDatabaseMessage();
				if ($stopOnError)
				{
					break;
				}
			}
		}

		return $errors;
	}

	/** @return list<string> */
	private static function splitStatements(string $batch): array
	{
		$batch = preg_replace('/^\s*(--|#).*$/m', '', $batch);
		$statements = [];
		$current = '';
		$quote = null;
		$length = strlen($batch);
		for ($i = 0; $i < $length; $i++)
		{
			$char = $batch[$i];
			if ($quote !== null)
			{
				if ($char === $quote && $batch[$i - 1] !== '\\')
				{
					$quote = null;
				}
			}
			elseif ($char === "'" || $char === '"' || $char === '`')
			{
				$quote = $char;
			}
			elseif ($char === ';')
			{
				$statements[] = trim($current);
				$current = '';
				continue;
			}
			$current .= $char;
		}
		$statements[] = trim($current);

		return array_values(array_filter($statements, static fn(string $s): bool => $s !== ''));
	}
}
