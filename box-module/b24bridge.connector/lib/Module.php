<?php

declare(strict_types=1);

namespace B24bridge\Connector;

/** Names the module, its local application and the box events it carries to the appliance. */
final class Module
{
	public const ID = 'b24bridge.connector';

	/** CLIENT_ID and CODE of the local application the module registers; never known to any OAuth server. */
	public const CLIENT_ID = 'local.b24bridge.connector';
	public const APP_NAME = 'b24bridge';

	/** The scope of the module's own REST methods (the description key, rest.php:489-527). */
	public const REST_SCOPE = 'b24bridge';
	public const SCOPES = ['telephony', 'crm', 'user', 'task', self::REST_SCOPE];

	/** Every token the module issues starts with this, so its validator answers for its own tokens only. */
	public const TOKEN_PREFIX = 'b24b1.';

	/** Before the box's own validators, which register at the default sort 100 (rest::InstallDB). */
	public const AUTH_HANDLER_SORT = 90;

	/** Where the installer puts the token endpoint, relative to the document root. */
	public const SERVICES_DIR = '/bitrix/services/b24bridge.connector';
	public const TOKEN_PATH = self::SERVICES_DIR . '/token.php';

	/**
	 * REST events bound for the application, with the PHP event behind each (its description: OnAppInstall in
	 * rest_provider.php:107-115, the telephony ones in vi_rest.php:146-152).
	 */
	public const EVENTS = [
		'ONAPPINSTALL' => ['rest', 'OnRestAppInstall'],
		'ONEXTERNALCALLSTART' => ['voximplant', 'onExternalCallStart'],
		'ONEXTERNALCALLBACKSTART' => ['voximplant', 'onExternalCallBackStart'],
	];

	/**
	 * The box's modules this one builds on must be loaded before their classes exist (main/lib/loader.php:98-163):
	 * an admin page or the token endpoint does not load them by itself.
	 */
	public static function requireBoxModules(string ...$modules): void
	{
		foreach ($modules as $module)
		{
			if (!\Bitrix\Main\Loader::includeModule($module))
			{
				throw new \Bitrix\Main\SystemException('The b24bridge connector needs the box module "' . $module . '", which is not installed');
			}
		}
	}

	public static function version(): string
	{
		$arModuleVersion = [];
		include __DIR__ . '/../install/version.php';

		return (string)$arModuleVersion['VERSION'];
	}

	public static function scope(): string
	{
		return implode(',', self::SCOPES);
	}
}
