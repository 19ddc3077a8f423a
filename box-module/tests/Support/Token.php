<?php

declare(strict_types=1);

namespace B24bridge\Tests\Support;

use B24bridge\Connector\Http\JsonResponse;
use B24bridge\Connector\Http\TokenEndpoint;
use BoxStub\Box;

/** Calls the module's token endpoint the way php-fpm runs token.php for a request. */
final class Token
{
	public static function request(Box $box, array $form, array $server = [], string $method = 'POST'): JsonResponse
	{
		$body = http_build_query($form);
		$box->newHit(['REQUEST_METHOD' => $method, 'CONTENT_LENGTH' => (string)strlen($body)] + $server);
		\Bitrix\Main\Loader::includeModule('b24bridge.connector');

		return (new TokenEndpoint())->handle($_SERVER, $form, strlen($body));
	}

	public static function clientCredentials(Box $box, string $credential, array $server = null): JsonResponse
	{
		return self::request($box, ['grant_type' => 'client_credentials', 'client_id' => 'local.b24bridge.connector', 'client_secret' => $credential],
			$server ?? Box::applianceConnection());
	}
}
