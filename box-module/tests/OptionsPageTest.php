<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Connector\Settings;
use B24bridge\Tests\Support\BoxTestCase;
use B24bridge\Tests\Support\Token;
use BoxStub\Box;

/** The box administrator's page: state, queue, the nginx lines to add; changes only by an administrator's form. */
final class OptionsPageTest extends BoxTestCase
{
	public function testThePageShowsStateQueueAndTheNginxLines(): void
	{
		$this->box->installAndArm();

		$page = $this->box->optionsPage();

		self::assertStringContainsString('id="b24bridge-state">armed<', $page);
		self::assertStringContainsString('id="b24bridge-queue-depth">1<', $page);
		self::assertStringContainsString('ONAPPINSTALL #', $page);
		self::assertStringContainsString('fastcgi_param B24BRIDGE_CLIENT_DN $ssl_client_s_dn;', $page);
		self::assertStringNotContainsString('id="b24bridge-credential"', $page, 'a credential is shown only when issued');
	}

	public function testAFormWithoutTheSessionCheckChangesNothing(): void
	{
		$this->box->installModule();

		$page = $this->box->optionsPage(['action' => 'save', 'appliance_url' => 'https://10.6.6.6', 'appliance_dn' => 'CN=x', 'user_id' => '1'], Box::ADMIN, false);

		self::assertStringContainsString('form has expired', $page);
		self::assertSame('', Settings::load()->applianceUrl);
	}

	public function testAnEmployeeWhoIsNotAnAdministratorSeesNothing(): void
	{
		$this->box->installModule();

		$page = $this->box->optionsPage(['action' => 'arm'], Box::MANAGER);

		self::assertStringContainsString('Not enough rights', $page);
		self::assertStringNotContainsString('b24bridge-state', $page);
		self::assertFalse(Settings::load()->armed);
	}

	public function testBehindAProxyTheIdentityComesInHeadersWithTheProxyKey(): void
	{
		$credential = $this->box->installModule();
		$this->box->optionsPage(['action' => 'save', 'appliance_url' => 'https://10.0.0.5:9443', 'appliance_dn' => Box::APPLIANCE_DN, 'identity_source' => 'header', 'user_id' => '1']);
		$page = $this->box->optionsPage(['action' => 'arm']);
		$key = Settings::load()->proxyKey;
		$headers = ['HTTP_X_B24BRIDGE_CLIENT_VERIFY' => 'SUCCESS', 'HTTP_X_B24BRIDGE_CLIENT_DN' => Box::APPLIANCE_DN];

		self::assertStringContainsString('proxy_set_header X-B24bridge-Proxy-Key &quot;' . $key . '&quot;;', $page);
		self::assertSame(403, Token::clientCredentials($this->box, $credential, $headers)->status, 'headers without the key are anybody\'s');
		self::assertSame(403, Token::clientCredentials($this->box, $credential, $headers + ['HTTP_X_B24BRIDGE_PROXY_KEY' => 'guess'])->status);
		self::assertSame(200, Token::clientCredentials($this->box, $credential, $headers + ['HTTP_X_B24BRIDGE_PROXY_KEY' => $key])->status);
		self::assertSame(403, Token::clientCredentials($this->box, $credential)->status, 'fastcgi parameters no longer count');
	}

	public function testThePageSpeaksRussianToARussianBox(): void
	{
		$this->box->installModule();
		$output = shell_exec('php ' . escapeshellarg(__DIR__ . '/Support/render-options-ru.php') . ' ' . escapeshellarg($this->box->documentRoot));

		self::assertStringContainsString('Состояние', (string)$output);
		self::assertStringContainsString('не настроен', (string)$output);
	}
}
