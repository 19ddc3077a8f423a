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
	private ?int $frozenAtMs = null;

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
		$this->installClock();
	}

	/**
	 * Stops the module's clock where it is: from now on only advanceClock() moves it. For a test that asserts
	 * what happens before an age is reached, which a busy machine's real milliseconds would otherwise decide.
	 */
	protected function freezeClock(): void
	{
		$this->frozenAtMs = (int)floor(microtime(true) * 1000);
		$this->installClock();
	}

	private function installClock(): void
	{
		$shift = $this->clockOffset;
		$frozen = $this->frozenAtMs;
		Clock::useForTests($frozen === null
			? static fn(): int => (int)floor(microtime(true) * 1000) + $shift
			: static fn(): int => $frozen + $shift);
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
