<?php

declare(strict_types=1);

/**
 * A stand-in for the appliance's event loop over real HTTPS: tokens from the module's endpoint, long polls, an
 * acknowledgement after each batch. Used by the benches (the real appliance's loop is Java).
 */
final class ApplianceLoop
{
	private string $accessToken;
	private \CurlHandle $curl;

	public function __construct(private readonly array $ready)
	{
		$this->curl = curl_init();
		$credential = trim((string)file_get_contents($ready['CREDENTIAL_FILE']));
		$token = $this->post('/bitrix/services/b24bridge.connector/token.php', ['grant_type' => 'client_credentials', 'client_id' => 'local.b24bridge.connector', 'client_secret' => $credential]);
		$this->accessToken = $token['access_token'];
	}

	/** @return list<array> */
	public function pull(int $wait): array
	{
		return $this->post('/rest/b24bridge.events.pull', ['auth' => $this->accessToken, 'wait' => $wait, 'limit' => 100])['result']['events'];
	}

	public function ack(int $id): void
	{
		$this->post('/rest/b24bridge.events.ack', ['auth' => $this->accessToken, 'id' => $id]);
	}

	private function post(string $path, array $form): array
	{
		$port = $this->ready['MTLS_PORT'];
		// one handle: the connection is kept alive between requests, as the appliance's HTTP client does
		curl_setopt_array($this->curl, [
			CURLOPT_URL => 'https://' . $this->ready['HOST'] . ':' . $port . $path,
			CURLOPT_POST => true,
			CURLOPT_POSTFIELDS => http_build_query($form),
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_RESOLVE => [$this->ready['HOST'] . ':' . $port . ':127.0.0.1'],
			CURLOPT_CAINFO => $this->ready['CERTS'] . '/box-ca.crt',
			CURLOPT_SSLCERT => $this->ready['CERTS'] . '/appliance.crt',
			CURLOPT_SSLKEY => $this->ready['CERTS'] . '/appliance.key',
			CURLOPT_TIMEOUT => 60,
		]);
		$body = curl_exec($this->curl);
		$answer = json_decode((string)$body, true);
		if (!is_array($answer) || isset($answer['error']) && $answer['error'] !== 'ALREADY_ACKNOWLEDGED')
		{
			throw new \RuntimeException($path . ': ' . $body);
		}

		return $answer;
	}
}
