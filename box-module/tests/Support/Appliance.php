<?php

declare(strict_types=1);

namespace B24bridge\Tests\Support;

use BoxStub\Box;

/** The appliance's side of the module's REST methods, over its (stubbed) mutual-TLS connection. */
final class Appliance
{
	public string $accessToken;

	public function __construct(private readonly Box $box, string $credential)
	{
		$this->accessToken = Token::clientCredentials($box, $credential)->body['access_token'];
	}

	/** @return list<array> the events of one pull */
	public function pull(int $limit = 50, int $wait = 0): array
	{
		[$status, $answer] = $this->call('b24bridge.events.pull', ['limit' => $limit, 'wait' => $wait]);
		if ($status !== 200)
		{
			throw new \RuntimeException('pull answered ' . $status . ' ' . json_encode($answer));
		}

		return $answer['result']['events'];
	}

	/** @return array{0: int, 1: array} */
	public function ack(int|string $id): array
	{
		return $this->call('b24bridge.events.ack', ['id' => $id]);
	}

	/** @return array{0: int, 1: array} */
	public function call(string $method, array $query): array
	{
		return $this->box->rest($method, ['auth' => $this->accessToken] + $query, Box::applianceConnection());
	}
}
