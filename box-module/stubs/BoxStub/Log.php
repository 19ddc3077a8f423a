<?php

declare(strict_types=1);

namespace BoxStub;

/** Where the stub box's AddMessage2Log() writes: kept in memory for tests, echoed to stderr under php-fpm. */
final class Log
{
	/** @var list<string> */
	public static array $lines = [];
}
