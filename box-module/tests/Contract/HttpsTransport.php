<?php

declare(strict_types=1);

namespace B24bridge\Tests\Contract;

/**
 * The served box (serve/start.sh) over real HTTPS with PHP's curl: the appliance's and another client certificate on
 * the mutual-TLS port, none on the box's ordinary port; the box's server certificate verified against its CA.
 * Besides the fixtures' connections: no-certificate (the mutual-TLS port without a client certificate, which nginx
 * answers itself).
 */
final class HttpsTransport implements Transport
{
	private readonly array $ready;

	public function __construct(private readonly string $servedDir)
	{
		$this->ready = parse_ini_file($servedDir . '/ready');
	}

	public static function fromEnvironment(): self
	{
		$dir = getenv('B24TEST_SERVED_DIR');
		if ($dir === false || !is_file($dir . '/ready'))
		{
			throw new \RuntimeException('B24TEST_SERVED_DIR does not name a served box: run box-module/serve/scenario.sh');
		}

		return new self($dir);
	}

	public function reset(): array
	{
		[$status, $vars] = $this->post('box-port', '/_stub/box.php', ['action' => 'reset']);
		if ($status !== 200)
		{
			throw new \RuntimeException('reset answered ' . $status . ' ' . json_encode($vars));
		}

		// the box's site keeps Debian's HTTP_HOST ($host, no port); the appliance's server adds its port
		return $vars + ['host' => $this->host('appliance'), 'boxHost' => $this->ready['HOST']];
	}

	public function token(array $form, string $connection): array
	{
		return $this->post($connection, '/bitrix/services/b24bridge.connector/token.php', $form);
	}

	public function rest(string $method, array $params, string $connection): array
	{
		return $this->post($connection, '/rest/' . $method, $params);
	}

	public function box(array $action): void
	{
		$form = ['action' => $action['box']] + $action;
		unset($form['box']);
		[$status] = $this->post('box-port', '/_stub/box.php', $form);
		if ($status !== 200)
		{
			throw new \RuntimeException('box action ' . $action['box'] . ' answered ' . $status);
		}
	}

	/** @return array{0: int, 1: array} */
	public function post(string $connection, string $path, array $form, array $curlOptions = []): array
	{
		$curl = $this->handle($connection, $path, $form, $curlOptions);
		$body = curl_exec($curl);
		if ($body === false)
		{
			throw new \RuntimeException('curl: ' . curl_error($curl));
		}
		$status = (int)curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
		$json = json_decode((string)$body, true);

		return [$status, is_array($json) ? $json : ['raw' => (string)$body]];
	}

	/** A prepared request, for callers that run several at once (curl_multi). */
	public function handle(string $connection, string $path, array $form, array $curlOptions = []): \CurlHandle
	{
		$port = $this->port($connection);
		$curl = curl_init('https://' . $this->ready['HOST'] . ':' . $port . $path);
		$options = [
			CURLOPT_POST => true,
			CURLOPT_POSTFIELDS => http_build_query($form),
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_RESOLVE => [$this->ready['HOST'] . ':' . $port . ':127.0.0.1'],
			CURLOPT_CAINFO => $this->ready['CERTS'] . '/box-ca.crt',
			CURLOPT_TIMEOUT => 60,
		];
		$client = match ($connection)
		{
			'appliance' => 'appliance',
			'other-certificate' => 'other',
			default => null,
		};
		if ($client !== null)
		{
			$options[CURLOPT_SSLCERT] = $this->ready['CERTS'] . '/' . $client . '.crt';
			$options[CURLOPT_SSLKEY] = $this->ready['CERTS'] . '/' . $client . '.key';
		}
		if ($connection === 'box-port-forged')
		{
			$options[CURLOPT_HTTPHEADER] = ['B24bridge-Client-Verify: SUCCESS', 'B24bridge-Client-Dn: CN=b24bridge-appliance,O=b24bridge test',
				'X-B24bridge-Client-Verify: SUCCESS', 'X-B24bridge-Client-Dn: CN=b24bridge-appliance,O=b24bridge test'];
		}
		curl_setopt_array($curl, $curlOptions + $options);

		return $curl;
	}

	public function host(string $connection): string
	{
		return $this->ready['HOST'] . ':' . $this->port($connection);
	}

	public function certs(): string
	{
		return $this->ready['CERTS'];
	}

	private function port(string $connection): int
	{
		return (int)(str_starts_with($connection, 'box-port') ? $this->ready['BOX_PORT'] : $this->ready['MTLS_PORT']);
	}
}
