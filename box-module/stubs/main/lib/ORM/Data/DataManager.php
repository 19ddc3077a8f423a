<?php

declare(strict_types=1);

namespace Bitrix\Main\ORM\Data;

use Bitrix\Main\Application;
use Bitrix\Main\DB\Result;
use Bitrix\Main\SystemException;
use Bitrix\Main\Type\DateTime;

/**
 * Stub of main/lib/orm/data/datamanager.php, reduced to array parameters on one table: getList(['select', 'filter',
 * 'order', 'limit']), getRow(), getById(), add(), update(), delete() (datamanager.php:92,279,330-549,877,1041,1256,
 * 1644). Filter keys carry the operator as the real ORM's do: '=F', '!=F', '>F', '>=F', '<F', '<=F', '@F' (IN);
 * anything else is refused, so a stub never answers differently from the box in silence. getMap() lists columns.
 */
abstract class DataManager
{
	abstract public static function getTableName(): string;

	/** @return list<string> column names */
	abstract public static function getMap(): array;

	/** Hook for the ORM events the real tables declare (onBeforeAdd, onAfterAdd...): fields may be changed. */
	protected static function beforeAdd(array $fields): array
	{
		return $fields;
	}

	protected static function afterAdd(int $id, array $fields): void
	{
	}

	public static function getList(array $parameters = []): Result
	{
		$select = $parameters['select'] ?? ['*'];
		$columns = $select === ['*'] ? static::getMap() : $select;
		$sql = 'SELECT ' . implode(', ', array_map(static fn(string $c): string => static::column($c), $columns))
			. ' FROM ' . static::getTableName()
			. static::where($parameters['filter'] ?? []);
		if (!empty($parameters['order']))
		{
			$order = [];
			foreach ($parameters['order'] as $field => $direction)
			{
				$order[] = static::column($field) . (strtoupper($direction) === 'DESC' ? ' DESC' : ' ASC');
			}
			$sql .= ' ORDER BY ' . implode(', ', $order);
		}
		if (!empty($parameters['limit']))
		{
			$sql .= ' LIMIT ' . (int)$parameters['limit'];
		}

		return Application::getConnection()->query($sql);
	}

	public static function getRow(array $parameters): ?array
	{
		$parameters['limit'] = 1;
		$row = static::getList($parameters)->fetch();

		return $row === false ? null : $row;
	}

	public static function getById(int|string $id): Result
	{
		return static::getList(['filter' => ['=ID' => $id]]);
	}

	public static function getByPrimary(int|string $id, array $parameters = []): Result
	{
		$parameters['filter'] = ['=ID' => $id];

		return static::getList($parameters);
	}

	public static function add(array $fields): AddResult
	{
		$fields = static::beforeAdd($fields);
		$connection = Application::getConnection();
		$columns = [];
		$values = [];
		foreach ($fields as $column => $value)
		{
			$columns[] = static::column($column);
			$values[] = static::literal($value);
		}
		$connection->queryExecute('INSERT INTO ' . static::getTableName() . ' (' . implode(', ', $columns) . ') VALUES (' . implode(', ', $values) . ')');
		$id = $connection->getInsertedId();
		static::afterAdd($id, $fields);

		return new AddResult($id);
	}

	public static function update(int|string $id, array $fields): void
	{
		$set = [];
		foreach ($fields as $column => $value)
		{
			$set[] = static::column($column) . ' = ' . static::literal($value);
		}
		Application::getConnection()->queryExecute('UPDATE ' . static::getTableName() . ' SET ' . implode(', ', $set) . ' WHERE ID = ' . static::literal($id));
	}

	public static function delete(int|string $id): void
	{
		Application::getConnection()->queryExecute('DELETE FROM ' . static::getTableName() . ' WHERE ID = ' . static::literal($id));
	}

	protected static function where(array $filter): string
	{
		$conditions = [];
		foreach ($filter as $key => $value)
		{
			if (!preg_match('/^(=|!=|>=|<=|>|<|@)([A-Z_]+)$/', (string)$key, $m))
			{
				throw new SystemException('The ORM stub does not support the filter key ' . $key);
			}
			[, $operator, $field] = $m;
			$column = static::column($field);
			if ($operator === '@')
			{
				$conditions[] = $column . ' IN (' . implode(', ', array_map([static::class, 'literal'], (array)$value)) . ')';
			}
			elseif ($value === null)
			{
				$conditions[] = $column . ($operator === '!=' ? ' IS NOT NULL' : ' IS NULL');
			}
			else
			{
				$conditions[] = $column . ' ' . ($operator === '!=' ? '<>' : $operator) . ' ' . static::literal($value);
			}
		}

		return $conditions === [] ? '' : ' WHERE ' . implode(' AND ', $conditions);
	}

	protected static function column(string $name): string
	{
		if (!in_array($name, static::getMap(), true))
		{
			throw new SystemException('Unknown field ' . $name . ' of ' . static::getTableName());
		}

		return '`' . $name . '`';
	}

	protected static function literal(mixed $value): string
	{
		return match (true)
		{
			$value === null => 'NULL',
			is_int($value), is_float($value) => (string)$value,
			is_bool($value) => $value ? "'Y'" : "'N'",
			$value instanceof DateTime => "'" . $value->toSql() . "'",
			default => "'" . Application::getConnection()->getSqlHelper()->forSql((string)$value) . "'",
		};
	}
}
