<?php

declare(strict_types=1);

namespace B24bridge\Tests\Contract;

use B24bridge\Tests\Support\Token;
use BoxStub\Box;

/** The stub box in this process: each request is a hit with the server variables its connection would give. */
final class InProcessTransport implements Transport
{
	private ?Box $box = null;

	public function __construct(private readonly \Closure $freshBox)
	{
	}

	public function reset(): array
	{
		$this->box = ($this->freshBox)();
		$credential = $this->box->installAndArm();
		$this->box->makeDefaultOutgoingLine('local.b24bridge.connector');

		return [
			'clientId' => 'local.b24bridge.connector',
			'credential' => $credential,
			'applicationToken' => $this->box->query("SELECT APPLICATION_TOKEN FROM b_rest_app WHERE CLIENT_ID = 'local.b24bridge.connector'")[0]['APPLICATION_TOKEN'],
			'host' => Box::HOST,
			'boxHost' => Box::HOST,
		];
	}

	public function token(array $form, string $connection): array
	{
		$answer = Token::request($this->box, $form, self::server($connection));

		return [$answer->status, $answer->body];
	}

	public function rest(string $method, array $params, string $connection): array
	{
		return $this->box->rest($method, $params, self::server($connection));
	}

	public function box(array $action): void
	{
		match ($action['box'])
		{
			'click' => $this->box->click((int)$action['user'], (string)$action['number']),
			'callbackForm' => $this->box->callbackForm('local.b24bridge.connector', (string)$action['number'], (string)($action['text'] ?? '')),
			'disarm', 'arm' => $this->box->optionsPage(['action' => $action['box']]),
		};
	}

	private static function server(string $connection): array
	{
		return match ($connection)
		{
			'appliance' => Box::applianceConnection(),
			'other-certificate' => ['B24BRIDGE_CLIENT_VERIFY' => 'SUCCESS', 'B24BRIDGE_CLIENT_DN' => 'CN=someone-else,O=b24bridge test'],
			'box-port' => [],
			'box-port-forged' => ['HTTP_B24BRIDGE_CLIENT_VERIFY' => 'SUCCESS', 'HTTP_B24BRIDGE_CLIENT_DN' => Box::APPLIANCE_DN,
				'HTTP_X_B24BRIDGE_CLIENT_VERIFY' => 'SUCCESS', 'HTTP_X_B24BRIDGE_CLIENT_DN' => Box::APPLIANCE_DN],
		};
	}
}
