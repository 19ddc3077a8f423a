<?php

declare(strict_types=1);

namespace B24bridge\Connector;

/** The module's one source of time, so that tests can move it (token expiry, queue settling). */
final class Clock
{
	private static ?\Closure $millis = null;

	public static function millis(): int
	{
		return self::$millis !== null ? (self::$millis)() : (int)floor(microtime(true) * 1000);
	}

	public static function seconds(): int
	{
		return intdiv(self::millis(), 1000);
	}

	/** Tests only: a function giving milliseconds, or null for the real clock. */
	public static function useForTests(?\Closure $millis): void
	{
		self::$millis = $millis;
	}
}
