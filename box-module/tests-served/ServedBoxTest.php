<?php

declare(strict_types=1);

namespace B24bridge\Tests\Served;

use B24bridge\Tests\Contract\HttpsTransport;
use B24bridge\Tests\Contract\Runner;
use PHPUnit\Framework\TestCase;

/**
 * The module served like a box – Debian's nginx with the mutual-TLS server block of docs/box-module.md, php-fpm, the
 * stub box – and reached over real HTTPS with real certificates made by openssl.
 */
final class ServedBoxTest extends TestCase
{
	private HttpsTransport $https;

	protected function setUp(): void
	{
		$this->https = HttpsTransport::fromEnvironment();
	}

	/** @dataProvider fixtures */
	public function testEveryContractFixtureHoldsOverHttps(string $file): void
	{
		$fixture = json_decode((string)file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);

		self::assertSame([], (new Runner($this->https))->run($fixture), $fixture['name']);
	}

	public static function fixtures(): array
	{
		$files = glob(dirname(__DIR__) . '/contract/*.json');

		return array_combine(array_map('basename', $files), array_map(static fn(string $f): array => [$f], $files));
	}

	public function testNginxTurnsAwayAConnectionWithoutAClientCertificate(): void
	{
		$vars = $this->https->reset();

		[$status, $body] = $this->https->post('no-certificate', '/bitrix/services/b24bridge.connector/token.php',
			['grant_type' => 'client_credentials', 'client_id' => $vars['clientId'], 'client_secret' => $vars['credential']]);

		self::assertSame(400, $status);
		self::assertStringContainsString('No required SSL certificate was sent', $body['raw']);
	}

	public function testNginxTurnsAwayACertificateFromAnotherAuthority(): void
	{
		$vars = $this->https->reset();

		// the box's own server certificate: valid, but not issued by the appliance's CA
		[$status, $body] = $this->https->post('no-certificate', '/bitrix/services/b24bridge.connector/token.php',
			['grant_type' => 'client_credentials', 'client_id' => $vars['clientId'], 'client_secret' => $vars['credential']],
			[CURLOPT_SSLCERT => $this->https->certs() . '/box.crt', CURLOPT_SSLKEY => $this->https->certs() . '/box.key']);

		self::assertSame(400, $status);
		self::assertStringContainsString('SSL certificate error', $body['raw']);
	}

	public function testNginxRefusesABodyLargerThanARecordingCanBe(): void
	{
		$vars = $this->https->reset();
		[, $token] = $this->https->token(['grant_type' => 'client_credentials', 'client_id' => $vars['clientId'], 'client_secret' => $vars['credential']], 'appliance');

		[$status] = $this->https->post('appliance', '/rest/telephony.externalCall.attachRecord',
			['auth' => $token['access_token'], 'CALL_ID' => 'x', 'FILENAME' => 'a.mp3', 'FILE_CONTENT' => str_repeat('A', 65 * 1024 * 1024)]);

		self::assertSame(413, $status);
	}

	public function testAWaitingPullWakesUpWithTheClickThatHappensMeanwhile(): void
	{
		$vars = $this->https->reset();
		[, $token] = $this->https->token(['grant_type' => 'client_credentials', 'client_id' => $vars['clientId'], 'client_secret' => $vars['credential']], 'appliance');
		[, $install] = $this->https->rest('b24bridge.events.pull', ['auth' => $token['access_token']], 'appliance');
		$this->https->rest('b24bridge.events.ack', ['auth' => $token['access_token'], 'id' => $install['result']['events'][0]['id']], 'appliance');

		$multi = curl_multi_init();
		$pull = $this->https->handle('appliance', '/rest/b24bridge.events.pull', ['auth' => $token['access_token'], 'wait' => 25]);
		curl_multi_add_handle($multi, $pull);
		$until = microtime(true) + 1.0; // let the pull reach php-fpm and start waiting
		do
		{
			curl_multi_exec($multi, $running);
			curl_multi_select($multi, 0.1);
		}
		while (microtime(true) < $until);
		$this->https->box(['box' => 'click', 'user' => 2, 'number' => '+79161110101']);
		do
		{
			curl_multi_exec($multi, $running);
			curl_multi_select($multi, 0.1);
		}
		while ($running > 0);
		$answer = json_decode((string)curl_multi_getcontent($pull), true);

		self::assertSame(200, curl_getinfo($pull, CURLINFO_RESPONSE_CODE));
		self::assertCount(1, $answer['result']['events'], 'the waiting pull answered with the click, not empty at the end of its wait');
		self::assertSame('ONEXTERNALCALLSTART', $answer['result']['events'][0]['event']);
	}
}
