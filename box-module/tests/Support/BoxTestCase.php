<?php

declare(strict_types=1);

namespace B24bridge\Tests\Support;

use B24bridge\Connector\Clock;
use BoxStub\Box;
use PHPUnit\Framework\TestCase;

/** Each test gets a fresh stub box with an empty database; the module is installed by the tests that need it. */
abstract class BoxTestCase extends TestCase
{
	protected Box $box;
	private static ?string $documentRoot = null;
	private int $clockOffset = 0;

	protected function setUp(): void
	{
		self::$documentRoot ??= sys_get_temp_dir() . '/b24test-docroot-' . getmypid();
		self::removeServices(self::$documentRoot);
		Box::forgetCloud();
		$this->box = Box::create((string)getenv('B24TEST_MYSQL_SOCKET'), 'b24test_' . getmypid(), self::$documentRoot, dirname(__DIR__, 2) . '/b24bridge.connector');
	}

	protected function tearDown(): void
	{
		if (class_exists(Clock::class, false))
		{
			Clock::useForTests(null);
		}
	}

	/** Moves the module's clock by $ms from now on. */
	protected function advanceClock(int $ms): void
	{
		$this->clockOffset += $ms;
		$shift = $this->clockOffset;
		Clock::useForTests(static fn(): int => (int)floor(microtime(true) * 1000) + $shift);
	}

	private static function removeServices(string $root): void
	{
		$dir = $root . '/bitrix/services/b24bridge.connector';
		if (is_dir($dir))
		{
			array_map('unlink', glob($dir . '/*'));
			rmdir($dir);
		}
	}
}
