<?php

declare(strict_types=1);

namespace B24bridge\Tests\Contract;

/**
 * How a contract fixture reaches a box with the module: in process on the stub box, or over HTTPS through nginx.
 * A connection is one of: appliance (the appliance's client certificate on the mutual-TLS server), other-certificate
 * (a valid client certificate with another subject), box-port (the box's ordinary HTTPS server, no client
 * certificate), box-port-forged (the ordinary server, with the identity forged as HTTP headers).
 */
interface Transport
{
	/** Fresh box, module installed and armed. @return array<string, mixed> clientId, credential, applicationToken, host, boxHost */
	public function reset(): array;

	/** @return array{0: int, 1: array} status, JSON body */
	public function token(array $form, string $connection): array;

	/** @return array{0: int, 1: array} */
	public function rest(string $method, array $params, string $connection): array;

	/** A box-side action: click, callbackForm, disarm, arm. */
	public function box(array $action): void;
}
