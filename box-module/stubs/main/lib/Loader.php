<?php

declare(strict_types=1);

namespace Bitrix\Main;

/**
 * Stub of main/lib/loader.php: a module is included only when registered in b_module (loader.php:98-103); its folder
 * is /local/modules/<id> before /bitrix/modules/<id> (loader.php:104-117); classes of `vendor.module` live under
 * <module>/lib with the namespace Vendor\Module, file names tried lower-case first, then as written
 * (loader.php:119-129,365-470); then the module's include.php runs and returning false unloads it (loader.php:140-163).
 */
class Loader
{
	/** @var array<string, bool> */
	private static array $included = [];
	/** @var array<string, string> namespace prefix => lib folder */
	private static array $namespaces = [];
	private static bool $autoloaderRegistered = false;

	public static function includeModule(string $moduleName): bool
	{
		if (isset(self::$included[$moduleName]))
		{
			return self::$included[$moduleName];
		}
		if (!ModuleManager::isModuleInstalled($moduleName))
		{
			return false;
		}
		$path = self::modulePath($moduleName);
		if ($path === null)
		{
			return false;
		}
		self::registerNamespace($moduleName, $path . '/lib');
		self::$included[$moduleName] = true;
		if (is_file($path . '/include.php'))
		{
			$result = include_once $path . '/include.php';
			if ($result === false)
			{
				self::$included[$moduleName] = false;
			}
		}

		return self::$included[$moduleName];
	}

	/** Stub-only: a new PHP request has included nothing yet. */
	public static function resetForNextHit(): void
	{
		self::$included = [];
	}

	/** Stub-only: a module that was uninstalled in this process is no longer "included". */
	public static function forget(string $moduleName): void
	{
		unset(self::$included[$moduleName]);
	}

	/** getLocal($path): /local/<path> if it exists, else /bitrix/<path> (loader.php:569-587). */
	public static function getLocal(string $path): string|false
	{
		$root = Application::getDocumentRoot();
		foreach (['/local/', '/bitrix/'] as $prefix)
		{
			if (file_exists($root . $prefix . $path))
			{
				return $root . $prefix . $path;
			}
		}

		return false;
	}

	public static function getDocumentRoot(): string
	{
		return Application::getDocumentRoot();
	}

	private static function modulePath(string $moduleName): ?string
	{
		$path = self::getLocal('modules/' . $moduleName);

		return $path === false ? null : $path;
	}

	private static function registerNamespace(string $moduleName, string $libPath): void
	{
		if (!str_contains($moduleName, '.'))
		{
			return; // the box's own modules are autoloaded by the stub bootstrap
		}
		[$vendor, $module] = explode('.', $moduleName, 2);
		self::$namespaces[ucfirst($vendor) . '\\' . ucfirst($module) . '\\'] = $libPath;
		if (!self::$autoloaderRegistered)
		{
			spl_autoload_register([self::class, 'autoLoad']);
			self::$autoloaderRegistered = true;
		}
	}

	public static function autoLoad(string $className): void
	{
		foreach (self::$namespaces as $prefix => $libPath)
		{
			if (stripos($className, $prefix) !== 0)
			{
				continue;
			}
			$relative = str_replace('\\', '/', substr($className, strlen($prefix)));
			foreach ([strtolower($relative), $relative] as $candidate)
			{
				if (is_file($libPath . '/' . $candidate . '.php'))
				{
					require_once $libPath . '/' . $candidate . '.php';

					return;
				}
			}
		}
	}
}
