<?php

declare(strict_types=1);

/*
 * The stub box's prolog (what /bitrix/modules/main/include/prolog_before.php gives a page on a real box): the box's
 * classes and functions, $USER and $APPLICATION. Loaded by the PHPUnit bootstrap, by the front controller under
 * php-fpm and by the bench scripts. Only stubs: the module itself is loaded by Loader::includeModule() like on a box.
 */

const B24STUB_ROOT = __DIR__;

if (!defined('LANGUAGE_ID'))
{
	define('LANGUAGE_ID', 'en');
}

spl_autoload_register(static function (string $class): void {
	static $global = [
		'CRestServer' => '/rest/classes/rest.php',
		'CRestUtil' => '/rest/classes/rest_util.php',
		'CRestProvider' => '/rest/classes/rest_provider.php',
		'CModule' => '/main/classes/module.php',
		'CUser' => '/main/classes/user.php',
		'CMain' => '/main/classes/main.php',
		'CApplicationException' => '/main/classes/main.php',
		'CVoxImplantRestService' => '/voximplant/classes/vi_rest.php',
	];
	static $namespaces = [
		'Bitrix\\Main\\' => '/main/lib/',
		'Bitrix\\Rest\\' => '/rest/lib/',
		'Bitrix\\Voximplant\\' => '/voximplant/lib/',
		'BoxStub\\' => '/BoxStub/',
	];
	if (isset($global[$class]))
	{
		require_once B24STUB_ROOT . $global[$class];

		return;
	}
	foreach ($namespaces as $prefix => $dir)
	{
		if (str_starts_with($class, $prefix))
		{
			$file = B24STUB_ROOT . $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
			if (is_file($file))
			{
				require_once $file;
			}

			return;
		}
	}
});

require_once B24STUB_ROOT . '/main/classes/tools.php';

$GLOBALS['USER'] = new CUser();
$GLOBALS['APPLICATION'] = new CMain();
