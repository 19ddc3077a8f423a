<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Tests\Contract\InProcessTransport;
use B24bridge\Tests\Contract\Runner;
use B24bridge\Tests\Support\BoxTestCase;

/** The fixture player itself: a box that answers otherwise than a fixture says must be reported. */
final class ContractRunnerTest extends BoxTestCase
{
	public function testEveryKindOfMismatchIsReported(): void
	{
		$fixture = ['name' => 'wrong on purpose', 'given' => ['module' => 'armed'], 'steps' => [
			['token' => ['grant_type' => 'client_credentials', 'client_id' => '${clientId}', 'client_secret' => '${credential}'],
				'expect' => ['status' => 201, 'body' => [
					'$keys' => ['access_token'],
					'refresh_token' => ['$absent' => true],
					'expires_in' => '3600',
					'scope' => ['$match' => '^crm$'],
					'user_id' => ['$type' => 'string'],
					'missing' => 1,
				]]],
		]];

		$failures = (new Runner(new InProcessTransport(fn() => $this->box)))->run($fixture);

		self::assertCount(7, $failures, implode("\n", $failures));
		self::assertStringContainsString('status 200, expected 201', $failures[0]);
		self::assertStringContainsString('expected exactly access_token', $failures[1]);
		self::assertStringContainsString('refresh_token must be absent', $failures[2]);
		self::assertStringContainsString('expires_in = 3600, expected "3600"', $failures[3]);
		self::assertStringContainsString('does not match ^crm$', $failures[4]);
		self::assertStringContainsString('user_id is integer, expected string', $failures[5]);
		self::assertStringContainsString('missing is missing', $failures[6]);
	}
}
