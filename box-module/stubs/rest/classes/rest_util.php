<?php

declare(strict_types=1);

use Bitrix\Main\Config\Option;

/** Stub of rest/classes/general/rest_util.php: the pieces of CRestUtil the REST path and the module use. */
class CRestUtil
{
	public const GLOBAL_SCOPE = '_global';
	public const EVENTS = '_events';
	public const PLACEMENTS = '_placements';
	public const HANDLER_SESSION_TTL = 7;
	public const BATCH_MAX_LENGTH = 50;

	/**
	 * checkAuth($query, $scope, &$res) (rest_util.php:532-555): a non-array query becomes ['auth' => $query]; the
	 * rest:OnRestCheckAuth handlers run in SORT order and the first result !== null wins; none → NO_AUTH_FOUND.
	 */
	public static function checkAuth($query, $scope, &$res)
	{
		if (!is_array($query))
		{
			$query = ['auth' => $query];
		}
		foreach (GetModuleEvents('rest', 'OnRestCheckAuth', true) as $eventHandler)
		{
			$eventResult = ExecuteModuleEventEx($eventHandler, [$query, $scope, &$res]);
			if ($eventResult !== null)
			{
				return $eventResult;
			}
		}
		$res = ['error' => 'NO_AUTH_FOUND', 'error_description' => 'Wrong authorization data'];

		return false;
	}

	/**
	 * makeAuth($authToken, $applicationType = null, ?int $applicationId = null) (rest_util.php:557-573, 25.1150.0+):
	 * user_id <= 0 authorizes nobody and succeeds; otherwise $USER->Authorize($userId, false, false, $applicationId).
	 */
	public static function makeAuth($authToken, $applicationType = null, ?int $applicationId = null): bool
	{
		global $USER;
		$userId = (int)($authToken['user_id'] ?? 0);
		if ($userId <= 0)
		{
			return true;
		}

		return $USER->Authorize($userId, false, false, $applicationId);
	}

	/** checkAppAccess($appId, $appInfo = null): the app's ACCESS list, administrators always (rest_util.php:575-618). */
	public static function checkAppAccess($appId, $appInfo = null): bool
	{
		global $USER;
		$appInfo ??= \Bitrix\Rest\AppTable::getByClientId($appId);
		if (!$appInfo)
		{
			return false;
		}

		return empty($appInfo['ACCESS']) || $USER->CanAccess(explode(',', $appInfo['ACCESS'])) || $USER->IsAdmin();
	}

	/** getApplicationToken(array $application): column APPLICATION_TOKEN, else md5(member|ID|CLIENT_SECRET|SHARED_KEY) (rest_util.php:908-919). */
	public static function getApplicationToken(array $application): string
	{
		if (!empty($application['APPLICATION_TOKEN']))
		{
			return $application['APPLICATION_TOKEN'];
		}

		return md5(static::getMemberId() . '|' . $application['ID'] . '|' . $application['CLIENT_SECRET'] . '|' . $application['SHARED_KEY']);
	}

	/** getMemberId(): md5(service_client_id) on a registered box, null on one that never registered (rest_util.php:353-363). */
	public static function getMemberId(): ?string
	{
		return \Bitrix\Rest\OAuthService::getMemberId();
	}

	/** getEndpoint(): CHTTP::URN2URI(Option rest/rest_server_path ?? '/rest') . '/' (rest_util.php:1043-1046). */
	public static function getEndpoint(): string
	{
		$request = \Bitrix\Main\Context::getCurrent()->getRequest();

		return ($request->isHttps() ? 'https' : 'http') . '://' . $request->getHttpHost() . Option::get('rest', 'rest_server_path', '/rest') . '/';
	}

	public static function getLanguage(): string
	{
		return defined('LANGUAGE_ID') ? LANGUAGE_ID : 'en';
	}
}
