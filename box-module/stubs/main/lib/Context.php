<?php

declare(strict_types=1);

namespace Bitrix\Main;

/**
 * Stub of main/lib/context.php and main/lib/httprequest.php, over $_SERVER: the host of the current request is
 * what the box writes into a queued event's DOMAIN (Sqs::queryItem, rest/lib/sqs.php:25).
 */
class Context
{
	public static function getCurrent(): static
	{
		return new static();
	}

	public function getRequest(): HttpRequest
	{
		return new HttpRequest($_SERVER);
	}

	public function getServer(): array
	{
		return $_SERVER;
	}
}
