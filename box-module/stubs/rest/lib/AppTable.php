<?php

declare(strict_types=1);

namespace Bitrix\Rest;

use Bitrix\Main\ORM\Data\DataManager;
use Bitrix\Main\Security\Random;

/**
 * Stub of rest/lib/app.php (b_rest_app). Reproduced: a STATUS_LOCAL row added without CLIENT_ID gets
 * no_client_id_<8> credentials (onBeforeAdd, app.php:271-292); on a box registered with the OAuth server, adding or
 * updating the STATUS of a local application asks the server (application.add / update) and, when that fails, the
 * added row is deleted and OAuthException thrown (onAfterAdd/onAfterUpdate, app.php:299-384) – unless
 * setSkipRemoteUpdate(true); getByClientId(): numeric → ID, else CODE or CLIENT_ID, cached per hit
 * (app.php:967-1044); install($appId) fires rest:OnRestAppInstall with &['APP_ID','VERSION','ACTIVE','INSTALLED']
 * (app.php:497-544); local applications are always payable (getAppStatusInfo PAYMENT_ALLOW 'Y', app.php:713-868).
 */
class AppTable extends DataManager
{
	public const ACTIVE = 'Y';
	public const INACTIVE = 'N';
	public const INSTALLED = 'Y';
	public const NOT_INSTALLED = 'N';
	public const STATUS_LOCAL = 'L';
	public const TYPE_ONLY_API = 'A';

	private static bool $skipRemoteUpdate = false;
	private static array $applicationCache = [];

	public static function getTableName(): string
	{
		return 'b_rest_app';
	}

	public static function getMap(): array
	{
		return ['ID', 'CLIENT_ID', 'CODE', 'ACTIVE', 'INSTALLED', 'URL', 'URL_INSTALL', 'VERSION', 'SCOPE', 'STATUS',
			'DATE_FINISH', 'CLIENT_SECRET', 'SHARED_KEY', 'APP_NAME', 'ACCESS', 'APPLICATION_TOKEN', 'MOBILE', 'USER_INSTALL'];
	}

	public static function setSkipRemoteUpdate($v): void
	{
		self::$skipRemoteUpdate = (bool)$v;
	}

	protected static function beforeAdd(array $fields): array
	{
		if (($fields['STATUS'] ?? '') === self::STATUS_LOCAL && empty($fields['CLIENT_ID']))
		{
			$rnd = Random::getString(8);
			$fields['CLIENT_ID'] = 'no_client_id_' . $rnd;
			$fields['CLIENT_SECRET'] = 'no_client_secret_' . $rnd;
			$fields['CODE'] = 'no_client_id_' . $rnd;
		}

		return $fields;
	}

	protected static function afterAdd(int $id, array $fields): void
	{
		self::$applicationCache = [];
		if (!self::$skipRemoteUpdate && ($fields['STATUS'] ?? '') === self::STATUS_LOCAL && OAuthService::isRegistered())
		{
			// application.add at the OAuth server cannot be reached from this box: the row goes, the caller gets the error
			parent::delete($id);
			throw new OAuthException(['error' => 'CONNECTION_ERROR', 'error_description' => 'Error connecting to authorization server']);
		}
	}

	public static function update(int|string $id, array $fields): void
	{
		parent::update($id, $fields);
		self::$applicationCache = [];
		if (!self::$skipRemoteUpdate && ($fields['STATUS'] ?? '') === self::STATUS_LOCAL && OAuthService::isRegistered())
		{
			throw new OAuthException(['error' => 'CONNECTION_ERROR', 'error_description' => 'Error connecting to authorization server']);
		}
	}

	public static function delete(int|string $id): void
	{
		parent::delete($id);
		self::$applicationCache = [];
	}

	public static function getByClientId($clientId): array|false
	{
		$key = (string)$clientId;
		if (!array_key_exists($key, self::$applicationCache))
		{
			$filter = (string)(int)$clientId === $key ? ['=ID' => (int)$clientId] : null;
			$row = $filter !== null ? static::getRow(['filter' => $filter]) : (static::getRow(['filter' => ['=CODE' => $key]]) ?? static::getRow(['filter' => ['=CLIENT_ID' => $key]]));
			self::$applicationCache[$key] = $row ?? false;
		}

		return self::$applicationCache[$key];
	}

	public static function clearCacheForNextHit(): void
	{
		self::$applicationCache = [];
	}

	public static function install($appId): void
	{
		$appInfo = static::getByClientId($appId);
		if ($appInfo)
		{
			$eventFields = ['APP_ID' => $appId, 'VERSION' => $appInfo['VERSION'], 'ACTIVE' => $appInfo['ACTIVE'], 'INSTALLED' => $appInfo['INSTALLED']];
			foreach (GetModuleEvents('rest', 'OnRestAppInstall', true) as $eventHandler)
			{
				ExecuteModuleEventEx($eventHandler, [&$eventFields]);
			}
		}
	}

	public static function getAppStatusInfo($app, $detailUrl): array
	{
		return ['STATUS' => is_array($app) ? ($app['STATUS'] ?? self::STATUS_LOCAL) : self::STATUS_LOCAL,
			'PAYMENT_NOTIFY' => 'N', 'PAYMENT_EXPIRED' => 'N', 'PAYMENT_ALLOW' => 'Y'];
	}
}
