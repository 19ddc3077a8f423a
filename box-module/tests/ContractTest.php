<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Tests\Contract\InProcessTransport;
use B24bridge\Tests\Contract\Runner;
use B24bridge\Tests\Support\BoxTestCase;

/** Every fixture in box-module/contract, played on the stub box with the module (the Java emulator plays the same files). */
final class ContractTest extends BoxTestCase
{
	/** @dataProvider fixtures */
	public function testTheBoxWithTheModuleAnswersAsTheFixtureSays(string $file): void
	{
		$fixture = json_decode((string)file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
		$runner = new Runner(new InProcessTransport(fn() => $this->box));

		self::assertSame([], $runner->run($fixture), $fixture['name']);
	}

	public static function fixtures(): array
	{
		$files = glob(dirname(__DIR__) . '/contract/*.json');
		self::assertNotEmpty($files);

		return array_combine(array_map('basename', $files), array_map(static fn(string $f): array => [$f], $files));
	}
}
