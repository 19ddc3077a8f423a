<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Tests\Support\BoxTestCase;
use B24bridge\Tests\Support\Token;
use BoxStub\Box;

/** The appliance gets and renews its tokens on the box itself: certificate and credential, or nothing. */
final class TokenEndpointTest extends BoxTestCase
{
	private string $credential;

	protected function setUp(): void
	{
		parent::setUp();
		$this->credential = $this->box->installAndArm();
	}

	public function testTheApplianceExchangesItsCredentialForAPairOfTokens(): void
	{
		$answer = Token::clientCredentials($this->box, $this->credential);

		self::assertSame(200, $answer->status);
		self::assertMatchesRegularExpression('/^b24b1\.[A-Za-z0-9_-]{43}$/', $answer->body['access_token']);
		self::assertMatchesRegularExpression('/^b24b1\.[A-Za-z0-9_-]{43}$/', $answer->body['refresh_token']);
		self::assertSame(3600, $answer->body['expires_in']);
		self::assertSame('telephony,crm,user,task,b24bridge', $answer->body['scope']);
		self::assertSame(Box::ADMIN, $answer->body['user_id'], 'the user set on the options page');
		self::assertSame('https://crm.example.test/rest/', $answer->body['client_endpoint']);
		self::assertSame('https://crm.example.test/bitrix/services/b24bridge.connector/', $answer->body['server_endpoint']);
		self::assertSame('L', $answer->body['status']);
		self::assertSame([], $this->box->query("SELECT * FROM b24bridge_connector_token WHERE TOKEN_HASH = '" . $answer->body['access_token'] . "'"), 'tokens are stored hashed');
	}

	public function testARefreshTokenGivesANewPairOnceAndItsReplayIsRefused(): void
	{
		$first = Token::clientCredentials($this->box, $this->credential)->body;
		$refresh = ['grant_type' => 'refresh_token', 'client_id' => 'local.b24bridge.connector', 'client_secret' => $this->credential, 'refresh_token' => $first['refresh_token']];

		$second = Token::request($this->box, $refresh, Box::applianceConnection());
		$tokensAfterRenewal = $this->tokenCount();
		$replay = Token::request($this->box, $refresh, Box::applianceConnection());

		self::assertSame(200, $second->status);
		self::assertNotSame($first['access_token'], $second->body['access_token']);
		self::assertSame(400, $replay->status);
		self::assertSame(['error' => 'invalid_grant', 'error_description' => 'The refresh token is unknown, expired or already used'], $replay->body);
		self::assertSame($tokensAfterRenewal, $this->tokenCount(), 'a refused replay issues nothing');
	}

	public function testWithoutTheClientCertificateNothingIsIssued(): void
	{
		$answer = Token::clientCredentials($this->box, $this->credential, ['B24BRIDGE_CLIENT_VERIFY' => 'NONE', 'B24BRIDGE_CLIENT_DN' => '']);

		self::assertSame(403, $answer->status);
		self::assertSame('CLIENT_CERTIFICATE_REQUIRED', $answer->body['error']);
		self::assertSame(0, $this->tokenCount());
	}

	public function testAForgedIdentityHeaderIsNotACertificate(): void
	{
		// nginx hands the verified certificate over as fastcgi parameters; a client can only send HTTP_* headers
		$answer = Token::clientCredentials($this->box, $this->credential, ['HTTP_B24BRIDGE_CLIENT_VERIFY' => 'SUCCESS', 'HTTP_B24BRIDGE_CLIENT_DN' => Box::APPLIANCE_DN]);

		self::assertSame(403, $answer->status);
		self::assertSame('CLIENT_CERTIFICATE_REQUIRED', $answer->body['error']);
	}

	public function testAnotherValidCertificateIsNotTheAppliance(): void
	{
		$answer = Token::clientCredentials($this->box, $this->credential, ['B24BRIDGE_CLIENT_VERIFY' => 'SUCCESS', 'B24BRIDGE_CLIENT_DN' => 'CN=someone-else,O=b24bridge test']);

		self::assertSame(403, $answer->status);
		self::assertSame('CLIENT_CERTIFICATE_REFUSED', $answer->body['error']);
		self::assertSame(0, $this->tokenCount());
	}

	public function testAWrongCredentialIsRefused(): void
	{
		$answer = Token::clientCredentials($this->box, 'b24bc.' . str_repeat('A', 43));

		self::assertSame(401, $answer->status);
		self::assertSame(['error' => 'invalid_client', 'error_description' => 'Wrong client_secret: use the credential the b24bridge module issued'], $answer->body);
		self::assertSame(0, $this->tokenCount());
	}

	public function testAnotherApplicationsClientIdGetsNoTokenHere(): void
	{
		$answer = Token::request($this->box, ['grant_type' => 'client_credentials', 'client_id' => 'local.5f2c0e1b2a3d4.12345678', 'client_secret' => $this->credential], Box::applianceConnection());

		self::assertSame(401, $answer->status);
		self::assertSame('invalid_client', $answer->body['error']);
		self::assertStringContainsString('local.b24bridge.connector', $answer->body['error_description']);
		self::assertSame(0, $this->tokenCount());
	}

	public function testAnOversizedBodyIsRefusedBeforeAnythingElse(): void
	{
		$answer = Token::request($this->box, ['grant_type' => 'client_credentials', 'client_id' => 'local.b24bridge.connector',
			'client_secret' => $this->credential, 'padding' => str_repeat('x', 9000)], Box::applianceConnection());

		self::assertSame(413, $answer->status);
		self::assertSame('request_too_large', $answer->body['error']);
		self::assertSame(0, $this->tokenCount());
	}

	public function testOnlyPostAndOnlyKnownGrants(): void
	{
		$get = Token::request($this->box, [], Box::applianceConnection(), 'GET');
		$password = Token::request($this->box, ['grant_type' => 'password', 'client_id' => 'local.b24bridge.connector', 'client_secret' => $this->credential], Box::applianceConnection());
		$array = Token::request($this->box, ['grant_type' => ['client_credentials'], 'client_id' => 'local.b24bridge.connector', 'client_secret' => $this->credential], Box::applianceConnection());

		self::assertSame([400, 'invalid_request'], [$get->status, $get->body['error']]);
		self::assertSame([400, 'unsupported_grant_type'], [$password->status, $password->body['error']]);
		self::assertSame([400, 'invalid_request'], [$array->status, $array->body['error']]);
	}

	public function testADisarmedModuleIssuesNothingAndANewCredentialRetiresTheOldOne(): void
	{
		$this->box->optionsPage(['action' => 'disarm']);
		$disarmed = Token::clientCredentials($this->box, $this->credential);
		self::assertSame([503, 'MODULE_NOT_ARMED'], [$disarmed->status, $disarmed->body['error']]);

		$this->box->optionsPage(['action' => 'arm']);
		$page = $this->box->optionsPage(['action' => 'credential']);
		preg_match('#<pre id="b24bridge-credential">([^<]+)</pre>#', $page, $m);

		self::assertSame(401, Token::clientCredentials($this->box, $this->credential)->status);
		self::assertSame(200, Token::clientCredentials($this->box, $m[1])->status);
	}

	private function tokenCount(): int
	{
		return (int)$this->box->query('SELECT COUNT(*) AS N FROM b24bridge_connector_token')[0]['N'];
	}
}
