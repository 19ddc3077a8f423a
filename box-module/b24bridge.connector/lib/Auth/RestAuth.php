<?php

declare(strict_types=1);

namespace B24bridge\Connector\Auth;

use B24bridge\Connector\Clock;
use B24bridge\Connector\Module;
use B24bridge\Connector\Refusal;
use B24bridge\Connector\Settings;
use Bitrix\Rest\AppTable;

/**
 * The module's validator on rest:OnRestCheckAuth, at sort 90 so it runs before the box's own (sort 100).
 *
 * The first handler that answers non-null wins (rest/classes/general/rest_util.php:532-555), so this one answers
 * null for every request that is not carrying one of the module's tokens: other applications, webhooks and browser
 * sessions keep the box's normal path. For its own tokens it never falls through: a refused token must not go on to
 * the box's OAuth validator, which would ask the cloud (rest/lib/oauth/auth.php:239-293).
 *
 * Accepted, it answers as the box's OAuth validator does (auth.php:170-183): auth_type 'oauth' and the application's
 * client_id – the telephony methods accept only oauth/apauth (voximplant/classes/general/vi_rest.php:1613-1616) and
 * event.* only oauth (rest/lib/api/event.php:86) – plus scope (batch checks it, rest.php:969-977), user_id (logged in
 * through CRestUtil::makeAuth, rest_util.php:557-573) and the event-loop counter of the event the token came with
 * (parameters[EVENT_SESSION], rest.php:611-615).
 */
final class RestAuth
{
	public static function onRestCheckAuth(array $query, $scope, &$res): ?bool
	{
		$token = \Bitrix\Rest\OAuth\Auth::getAuthKey($query);
		if ($token === null || !str_starts_with($token, Module::TOKEN_PREFIX))
		{
			return null;
		}
		$refusal = self::refusal($token, (string)$scope, $record);
		if ($refusal !== null)
		{
			$res = $refusal->toAuthResult();

			return false;
		}
		if (!\CRestUtil::makeAuth(['user_id' => $record->userId]))
		{
			$res = (new Refusal('authorization_error', 'Unable to authorize user ' . $record->userId . ' (inactive or missing)', 401))->toAuthResult();

			return false;
		}
		$res = [
			'access_token' => $token,
			'user_id' => $record->userId,
			'client_id' => Module::CLIENT_ID,
			'expires' => $record->expires,
			'expires_in' => $record->expires - Clock::seconds(),
			'scope' => $record->scope,
			'status' => AppTable::STATUS_LOCAL,
			'client_endpoint' => \CRestUtil::getEndpoint(),
			'member_id' => \CRestUtil::getMemberId(),
			'parameters' => $record->eventSession === null ? [] : [\Bitrix\Rest\Event\Session::PARAM_SESSION => $record->eventSession],
			'parameters_clear' => ['auth', 'access_token'],
			'auth_type' => \Bitrix\Rest\OAuth\Auth::AUTH_TYPE,
		];

		return true;
	}

	private static function refusal(string $token, string $scope, ?TokenRecord &$record): ?Refusal
	{
		$settings = Settings::load();
		if (!$settings->armed)
		{
			return new Refusal('MODULE_NOT_ARMED', 'The b24bridge module is installed but not armed: its tokens are refused until the box administrator arms it', 401);
		}
		$identity = ApplianceIdentity::check($_SERVER, $settings);
		if ($identity !== null)
		{
			return $identity;
		}
		$record = (new TokenStore())->findAccess($token);
		if ($record === null)
		{
			return new Refusal('invalid_token', 'The access token is unknown or was revoked', 401);
		}
		if ($record->expires <= Clock::seconds())
		{
			// the box's own text (rest/lib/oauth/auth.php:127-131)
			return new Refusal('expired_token', 'The access token provided has expired', 401);
		}
		$application = AppTable::getByClientId(Module::CLIENT_ID);
		if (!is_array($application) || $application['ACTIVE'] !== AppTable::ACTIVE)
		{
			return new Refusal('APPLICATION_NOT_FOUND', 'Application not found', 401);
		}
		if ($scope !== \CRestUtil::GLOBAL_SCOPE && !in_array($scope, explode(',', $record->scope), true))
		{
			return new Refusal('insufficient_scope', 'The request requires higher privileges than provided by the access token', 401);
		}

		return null;
	}
}
