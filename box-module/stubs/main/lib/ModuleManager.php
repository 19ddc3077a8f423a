<?php

declare(strict_types=1);

namespace Bitrix\Main;

/**
 * Stub of main/lib/modulemanager.php: the installed modules are the rows of b_module; registerModule() adds the row
 * and fires main:OnAfterRegisterModule, unRegisterModule() deletes it and fires main:OnAfterUnRegisterModule
 * (modulemanager.php:172-211).
 */
class ModuleManager
{
	public static function isModuleInstalled(string $moduleName): bool
	{
		$h = Application::getConnection()->getSqlHelper();

		return Application::getConnection()->query("SELECT ID FROM b_module WHERE ID='" . $h->forSql($moduleName) . "'")->fetch() !== false;
	}

	public static function registerModule(string $moduleName): void
	{
		$h = Application::getConnection()->getSqlHelper();
		Application::getConnection()->queryExecute("INSERT IGNORE INTO b_module (ID, DATE_ACTIVE) VALUES ('" . $h->forSql($moduleName) . "', NOW())");
		(new Event('main', 'OnAfterRegisterModule', [$moduleName]))->send();
	}

	public static function unRegisterModule(string $moduleName): void
	{
		$h = Application::getConnection()->getSqlHelper();
		Application::getConnection()->queryExecute("DELETE FROM b_module WHERE ID='" . $h->forSql($moduleName) . "'");
		Loader::forget($moduleName);
		(new Event('main', 'OnAfterUnRegisterModule', [$moduleName]))->send();
	}
}
