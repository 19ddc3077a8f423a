<?php

declare(strict_types=1);

namespace Bitrix\Rest\Event;

use Bitrix\Rest\OAuthService;

/**
 * Stub of rest/lib/event/provideroauth.php: the box's default provider hands the batch to the OAuth server
 * (rest.event.call, provideroauth.php:27-87; oauth/client.php:312-317); a failure is only logged, nothing is retried
 * (provideroauth.php:51-64). The stub box has no route to that server, so every batch ends up here as lost –
 * kept in $lost so tests can see which events took Bitrix's normal path.
 */
class ProviderOAuth implements ProviderInterface
{
	protected static $instance = null;
	/** @var list<array> queue items the cloud path could not deliver */
	public static array $lost = [];

	public static function instance(): static
	{
		return static::$instance ??= new static();
	}

	public function send(array $queryData)
	{
		try
		{
			if (!OAuthService::isRegistered())
			{
				OAuthService::register();
			}
			OAuthService::register(); // rest.event.call: the same unreachable server
		}
		catch (\Bitrix\Main\SystemException $e)
		{
			AddMessage2Log('rest.event.call failed: ' . $e->getMessage(), 'rest');
			foreach ($queryData as $item)
			{
				self::$lost[] = $item;
			}
		}
	}
}
