<?php

declare(strict_types=1);

/**
 * Stub of main/classes/general/module.php: the installer base class. A module's install/index.php declares
 * `class vendor_module extends CModule` with MODULE_ID, MODULE_VERSION... (module.php:14-25) and overrides
 * DoInstall/DoUninstall/InstallDB/... (module.php:43-126); CreateModuleObject($id) includes
 * <local|bitrix>/modules/<id>/install/index.php and instantiates str_replace('.', '_', $id) (module.php:174-195).
 */
class CModule
{
	public $MODULE_ID;
	public $MODULE_VERSION;
	public $MODULE_VERSION_DATE;
	public $MODULE_NAME;
	public $MODULE_DESCRIPTION;
	public $PARTNER_NAME;
	public $PARTNER_URI;

	public static function IncludeModule(string $moduleName): bool
	{
		return \Bitrix\Main\Loader::includeModule($moduleName);
	}

	public static function CreateModuleObject(string $moduleName): ?CModule
	{
		$path = \Bitrix\Main\Loader::getLocal('modules/' . $moduleName . '/install/index.php');
		if ($path === false)
		{
			return null;
		}
		include_once $path;
		$class = str_replace('.', '_', $moduleName);

		return class_exists($class) ? new $class() : null;
	}

	public function IsInstalled(): bool
	{
		return \Bitrix\Main\ModuleManager::isModuleInstalled((string)$this->MODULE_ID);
	}

	public function DoInstall()
	{
	}

	public function DoUninstall()
	{
	}
}
