<?php

declare(strict_types=1);

namespace Bitrix\Rest\Event;

/**
 * rest/lib/event/session.php (copied behaviour): the event-loop counter starts at CRestUtil::HANDLER_SESSION_TTL (7),
 * goes down by one per hit that was caused by an event's token (set() from the token's EVENT_SESSION), false at 0.
 */
class Session
{
	public const PARAM_SESSION = 'EVENT_SESSION';

	private static $TTL = null;
	private static bool $ttlDecreased = false;
	private static bool $set = false;

	public static function get()
	{
		if (!self::$set)
		{
			self::$TTL = \CRestUtil::HANDLER_SESSION_TTL;
			self::$ttlDecreased = true;
		}
		elseif (!self::$ttlDecreased)
		{
			self::$TTL--;
			self::$ttlDecreased = true;
		}

		return self::$TTL <= 0 ? false : self::$TTL;
	}

	public static function set($session): void
	{
		self::$TTL = is_array($session) ? $session['TTL'] : $session;
		self::$ttlDecreased = false;
		self::$set = true;
	}

	public static function resetForNextHit(): void
	{
		self::$TTL = null;
		self::$ttlDecreased = false;
		self::$set = false;
	}
}
