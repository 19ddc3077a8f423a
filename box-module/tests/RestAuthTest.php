<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Connector\Auth\TokenStore;
use B24bridge\Tests\Support\BoxTestCase;
use B24bridge\Tests\Support\Token;
use BoxStub\Box;

/**
 * REST calls with the module's tokens pass the box's checks as application calls; every other request takes the
 * box's own path, untouched.
 */
final class RestAuthTest extends BoxTestCase
{
	private string $accessToken;

	protected function setUp(): void
	{
		parent::setUp();
		$credential = $this->box->installAndArm();
		$this->accessToken = Token::clientCredentials($this->box, $credential)->body['access_token'];
	}

	public function testTheModulesTokenRegistersACallAsTheApplication(): void
	{
		[$status, $answer] = $this->box->rest('telephony.externalcall.register', [
			'auth' => $this->accessToken, 'USER_ID' => 2, 'PHONE_NUMBER' => '+79161110101', 'TYPE' => 2, 'EXTERNAL_CALL_ID' => 'pbx1:1700000000.1',
		], Box::applianceConnection());

		self::assertSame(200, $status, json_encode($answer));
		self::assertMatchesRegularExpression('/^externalCall\.[0-9a-f]{32}\.\d+$/', $answer['result']['CALL_ID']);
		$appId = $this->box->query("SELECT ID FROM b_rest_app WHERE CLIENT_ID = 'local.b24bridge.connector'")[0]['ID'];
		self::assertSame([['REST_APP_ID' => $appId, 'EXTERNAL_CALL_ID' => 'pbx1:1700000000.1']],
			$this->box->query('SELECT REST_APP_ID, EXTERNAL_CALL_ID FROM b_voximplant_call'), 'the call belongs to the application');
	}

	public function testTheTokenWorksAsABearerHeaderToo(): void
	{
		[$status, $answer] = $this->box->rest('app.info', [], Box::applianceConnection() + ['HTTP_AUTHORIZATION' => 'Bearer ' . $this->accessToken]);

		self::assertSame(200, $status);
		self::assertSame(['CODE' => 'local.b24bridge.connector', 'INSTALLED' => true], array_intersect_key($answer['result'], ['CODE' => 0, 'INSTALLED' => 0]));
	}

	public function testTheCallRunsAsTheTokensUser(): void
	{
		$this->box->rest('app.info', ['auth' => $this->accessToken], Box::applianceConnection());

		self::assertSame(Box::ADMIN, $GLOBALS['USER']->GetID());
	}

	public function testWithoutTheClientCertificateTheTokenIsRefusedAndNothingHappens(): void
	{
		[$status, $answer] = $this->box->rest('telephony.externalcall.register', [
			'auth' => $this->accessToken, 'USER_ID' => 2, 'PHONE_NUMBER' => '+79161110101', 'TYPE' => 2,
		]);

		self::assertSame(403, $status);
		self::assertSame('CLIENT_CERTIFICATE_REQUIRED', $answer['error']);
		self::assertSame([], $this->box->query('SELECT * FROM b_voximplant_call'));
	}

	public function testAnUnknownTokenOfOursNeverReachesTheCloudValidator(): void
	{
		[$status, $answer] = $this->box->rest('app.info', ['auth' => 'b24b1.' . str_repeat('x', 43)], Box::applianceConnection());

		self::assertSame([401, 'invalid_token'], [$status, $answer['error']]);
	}

	public function testAnExpiredTokenSaysSoInTheBoxsWords(): void
	{
		$this->advanceClock((TokenStore::ACCESS_TTL + 1) * 1000);

		[$status, $answer] = $this->box->rest('app.info', ['auth' => $this->accessToken], Box::applianceConnection());

		self::assertSame(401, $status);
		self::assertSame(['error' => 'expired_token', 'error_description' => 'The access token provided has expired'], $answer);
	}

	public function testADisarmedModuleRefusesItsTokensWithAReason(): void
	{
		$this->box->optionsPage(['action' => 'disarm']);

		[$status, $answer] = $this->box->rest('app.info', ['auth' => $this->accessToken], Box::applianceConnection());

		self::assertSame([401, 'MODULE_NOT_ARMED'], [$status, $answer['error']]);
	}

	public function testATokenOutsideItsScopeIsRefused(): void
	{
		$narrow = (new TokenStore())->issue(Box::ADMIN, 'crm', null, false)->accessToken;

		[$status, $answer] = $this->box->rest('telephony.externalcall.register', ['auth' => $narrow, 'USER_ID' => 2, 'PHONE_NUMBER' => '1', 'TYPE' => 2], Box::applianceConnection());

		self::assertSame([401, 'insufficient_scope'], [$status, $answer['error']]);
	}

	public function testATokenOfADeactivatedUserIsRefused(): void
	{
		$token = (new TokenStore())->issue(Box::INACTIVE_USER, 'telephony,crm,user,task,b24bridge', null, false)->accessToken;

		[$status, $answer] = $this->box->rest('app.info', ['auth' => $token], Box::applianceConnection());

		self::assertSame([401, 'authorization_error'], [$status, $answer['error']]);
		self::assertSame(0, $GLOBALS['USER']->GetID());
	}

	public function testAnotherApplicationsTokenTakesTheBoxsOwnPath(): void
	{
		// not ours: the module answers null and the box's OAuth validator asks the cloud, which this box cannot reach
		[$status, $answer] = $this->box->rest('app.info', ['auth' => 'e0c4b2d15f0047a7a6f0a3a5d1b2c3d4'], Box::applianceConnection());

		self::assertSame(401, $status);
		self::assertSame(['error' => 'CONNECTION_ERROR', 'error_description' => 'Error connecting to authorization server'], $answer);
	}

	public function testAnotherApplicationsTokenTheBoxAlreadyValidatedStillWorks(): void
	{
		$this->box->query("INSERT INTO b_rest_app (CLIENT_ID, CODE, ACTIVE, INSTALLED, URL, SCOPE, STATUS) VALUES ('local.other', 'local.other', 'Y', 'Y', 'https://other.example.test/', 'telephony', 'L')");
		\Bitrix\Rest\OAuth\Auth::storeRegisteredAuth(['access_token' => 'othertoken', 'client_id' => 'local.other', 'user_id' => 3, 'expires' => time() + 600, 'scope' => 'telephony']);

		[$status, $answer] = $this->box->rest('app.info', ['auth' => 'othertoken']);

		self::assertSame(200, $status);
		self::assertSame('local.other', $answer['result']['CODE']);
	}

	public function testARequestWithoutAnyAuthorizationIsTheBoxsNoAuthFound(): void
	{
		[$status, $answer] = $this->box->rest('app.info', [], Box::applianceConnection());

		self::assertSame(401, $status);
		self::assertSame(['error' => 'NO_AUTH_FOUND', 'error_description' => 'Wrong authorization data'], $answer);
	}

	public function testTheTelephonyMethodsStillRefuseAuthTypesOtherThanApplicationAndWebhook(): void
	{
		// the reproduction of vi_rest.php:1613-1616 that makes 'oauth' necessary: a validator answering with its own
		// auth type (as the docs' AuthSimple demo does) is refused by register
		\Bitrix\Main\EventManager::getInstance()->registerEventHandler('rest', 'OnRestCheckAuth', 'main', self::class, 'demoSimpleAuth', 80);

		[$status, $answer] = $this->box->rest('telephony.externalcall.register', ['demo' => 'yes', 'USER_ID' => 2, 'PHONE_NUMBER' => '1', 'TYPE' => 2]);

		self::assertSame([403, 'WRONG_AUTH_TYPE'], [$status, $answer['error']]);
	}

	public static function demoSimpleAuth(array $query, $scope, &$res): ?bool
	{
		if (($query['demo'] ?? '') !== 'yes')
		{
			return null;
		}
		$res = ['auth_type' => 'demo_simple', 'user_id' => 1];

		return true;
	}
}
