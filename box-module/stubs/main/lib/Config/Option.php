<?php

declare(strict_types=1);

namespace Bitrix\Main\Config;

use Bitrix\Main\Application;
use Bitrix\Main\Loader;

/**
 * Stub of main/lib/config/option.php: values in b_option (MODULE_ID, NAME, VALUE); a missing value falls back to
 * $<module id with . → _>_default_option from <module>/default_option.php, then to the caller's default
 * (option.php:121-150). The box caches options per module; the stub reads the table each time.
 */
class Option
{
	public static function get(string $moduleId, string $name, string $default = '', $siteId = false): string
	{
		$h = Application::getConnection()->getSqlHelper();
		$row = Application::getConnection()->query(
			"SELECT VALUE FROM b_option WHERE MODULE_ID='" . $h->forSql($moduleId) . "' AND NAME='" . $h->forSql($name) . "'"
		)->fetch();
		if ($row !== false)
		{
			return (string)$row['VALUE'];
		}
		$defaults = self::defaults($moduleId);

		return array_key_exists($name, $defaults) ? (string)$defaults[$name] : $default;
	}

	public static function set(string $moduleId, string $name, string $value = '', string $siteId = ''): void
	{
		$h = Application::getConnection()->getSqlHelper();
		Application::getConnection()->queryExecute(
			"INSERT INTO b_option (MODULE_ID, NAME, VALUE) VALUES ('" . $h->forSql($moduleId) . "', '" . $h->forSql($name) . "', '"
			. $h->forSql($value) . "') ON DUPLICATE KEY UPDATE VALUE=VALUES(VALUE)"
		);
	}

	/** delete($moduleId, array $filter = []): every option of the module, or the one named in $filter['name']. */
	public static function delete(string $moduleId, array $filter = []): void
	{
		$h = Application::getConnection()->getSqlHelper();
		$where = "MODULE_ID='" . $h->forSql($moduleId) . "'";
		if (isset($filter['name']))
		{
			$where .= " AND NAME='" . $h->forSql($filter['name']) . "'";
		}
		Application::getConnection()->queryExecute('DELETE FROM b_option WHERE ' . $where);
	}

	private static function defaults(string $moduleId): array
	{
		$file = Loader::getLocal('modules/' . $moduleId . '/default_option.php');
		if ($file === false)
		{
			return [];
		}
		$variable = str_replace('.', '_', $moduleId) . '_default_option';
		include $file;

		return isset($$variable) && is_array($$variable) ? $$variable : [];
	}
}
