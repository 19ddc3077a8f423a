<?php

declare(strict_types=1);

namespace Bitrix\Rest;

use Bitrix\Main\Config\Option;
use Bitrix\Main\SystemException;

/**
 * Stub of rest/lib/oauthservice.php and rest/lib/oauth/engine.php on an air-gapped box: registered only when option
 * rest/service_client_id is set (engine.php:45-53); getMemberId() is md5(service_client_id), null when never
 * registered (oauthservice.php:107-117). register() POSTs to the OAuth server (oauthservice.php:59-97): the stub box has
 * no route to it, so it fails the way a dropped connection does, with a SystemException.
 */
class OAuthService
{
	public static function isRegistered(): bool
	{
		return Option::get('rest', 'service_client_id', '') !== '';
	}

	public static function getMemberId(): ?string
	{
		$clientId = Option::get('rest', 'service_client_id', '');

		return $clientId === '' ? null : md5($clientId);
	}

	public static function register(): void
	{
		throw new SystemException('Cannot connect to the OAuth server: the box has no route to the internet');
	}
}
