<?php

declare(strict_types=1);

namespace Bitrix\Rest\OAuth;

use Bitrix\Rest\AppTable;
use Bitrix\Rest\OAuthService;

/**
 * Stub of rest/lib/oauth/auth.php, the box's built-in validator of application tokens (registered on
 * rest:onRestCheckAuth at sort 100 by rest::InstallDB). Followed step by step (auth.php:68-192): the token comes from
 * "Authorization: Bearer", else the query's auth or access_token (getAuthKey, auth.php:194-220); check() looks in the
 * token cache and otherwise asks the OAuth server (auth.php:239-293) – unreachable from the stub box, so a token not
 * cached gives CONNECTION_ERROR "Error connecting to authorization server" (auth.php:79-83,250-253); then
 * APPLICATION_NOT_FOUND, expired_token, insufficient_scope, the user login and the app access check; $res gets
 * parameters_clear ['auth','access_token'] and auth_type 'oauth'. The OVERLOAD/commercial-plan checks are inactive on
 * a box (rest/lib/engine/access.php:69-74) and left out.
 */
class Auth
{
	public const AUTH_TYPE = 'oauth';
	public const PARAM_LOCAL_USER = 'LOCAL_USER';
	public const PARAM_TZ_OFFSET = 'TZ_OFFSET';

	protected static array $authQueryParams = ['auth', 'access_token'];
	/** @var array<string, array> the managed-cache token storage (StorageCache, storagecache.php:8-53) */
	protected static array $storage = [];

	/** storeRegisteredAuth(array $tokenInfo) (auth.php:63-66): a token the box already validated, e.g. while it was online. */
	public static function storeRegisteredAuth(array $tokenInfo): void
	{
		static::$storage[$tokenInfo['access_token']] = $tokenInfo;
	}

	public static function forgetStorage(): void
	{
		static::$storage = [];
	}

	public static function onRestCheckAuth(array $query, $scope, &$res)
	{
		$authKey = static::getAuthKey($query);
		if (!$authKey)
		{
			return null;
		}
		$tokenInfo = static::check($authKey);
		$error = array_key_exists('error', $tokenInfo);
		if (!$error && !array_key_exists('client_id', $tokenInfo))
		{
			$tokenInfo = ['error' => 'CONNECTION_ERROR', 'error_description' => 'Error connecting to authorization server'];
			$error = true;
		}
		$clientInfo = null;
		if (!$error)
		{
			$clientInfo = AppTable::getByClientId($tokenInfo['client_id']);
			if (!is_array($clientInfo) || $clientInfo['ACTIVE'] !== 'Y')
			{
				$tokenInfo = ['error' => 'APPLICATION_NOT_FOUND', 'error_description' => 'Application not found'];
				$error = true;
			}
		}
		if (!$error && $tokenInfo['expires'] <= time())
		{
			$tokenInfo = ['error' => 'expired_token', 'error_description' => 'The access token provided has expired'];
			$error = true;
		}
		if (!$error && $scope !== \CRestUtil::GLOBAL_SCOPE && isset($tokenInfo['scope']) && !in_array($scope, explode(',', $tokenInfo['scope']), true))
		{
			$tokenInfo = ['error' => 'insufficient_scope', 'error_description' => 'The request requires higher privileges than provided by the access token'];
			$error = true;
		}
		if (!$error && $tokenInfo['user_id'] > 0 && !\CRestUtil::makeAuth($tokenInfo, self::AUTH_TYPE, (int)$clientInfo['ID']))
		{
			$tokenInfo = ['error' => 'authorization_error', 'error_description' => 'Unable to authorize user'];
			$error = true;
		}
		$res = $tokenInfo;
		$res['parameters_clear'] = static::$authQueryParams;
		$res['auth_type'] = static::AUTH_TYPE;

		return !$error;
	}

	public static function getAuthKey(array $query): ?string
	{
		$header = \Bitrix\Main\Context::getCurrent()->getRequest()->getHeader('Authorization');
		if ($header !== null && preg_match('/^Bearer\s+/i', $header))
		{
			return preg_replace('/^Bearer\s+/i', '', $header);
		}
		foreach (static::$authQueryParams as $key)
		{
			if (array_key_exists($key, $query) && !is_array($query[$key]))
			{
				return (string)$query[$key];
			}
		}

		return null;
	}

	protected static function check($accessToken): array
	{
		if (isset(static::$storage[$accessToken]))
		{
			return static::$storage[$accessToken];
		}
		if (!OAuthService::isRegistered())
		{
			try
			{
				OAuthService::register();
			}
			catch (\Bitrix\Main\SystemException $e)
			{
				return ['error' => 'CONNECTION_ERROR', 'error_description' => 'Error connecting to authorization server'];
			}
		}

		// rest.check at the OAuth server: no answer from a box without a route to it (client.php:101-111,171-193)
		return ['access_token' => $accessToken];
	}
}
