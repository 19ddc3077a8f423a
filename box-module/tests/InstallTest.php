<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Tests\Support\BoxTestCase;
use BoxStub\Box;

/** The administrator installs, arms, disarms and removes the module; the box's own paths stay as they were. */
final class InstallTest extends BoxTestCase
{
	public function testInstallCreatesTablesHandlersTokenEndpointApplicationAndShowsTheCredentialOnce(): void
	{
		$credential = $this->box->installModule();

		self::assertMatchesRegularExpression('/^b24bc\.[A-Za-z0-9_-]{43}$/', $credential);
		self::assertSame(
			['b24bridge_connector_queue', 'b24bridge_connector_state', 'b24bridge_connector_token'],
			array_column($this->box->query("SHOW TABLES LIKE 'b24bridge%'"), array_key_first($this->box->query("SHOW TABLES LIKE 'b24bridge%'")[0])),
		);
		self::assertSame([
			['MESSAGE_ID' => 'OnRestCheckAuth', 'TO_CLASS' => 'B24bridge\Connector\Auth\RestAuth', 'SORT' => '90'],
			['MESSAGE_ID' => 'OnRestServiceBuildDescription', 'TO_CLASS' => 'B24bridge\Connector\Rest\Methods', 'SORT' => '100'],
			['MESSAGE_ID' => 'onEventManagerInitialize', 'TO_CLASS' => 'B24bridge\Connector\Event\QueueProvider', 'SORT' => '100'],
		], $this->box->query("SELECT MESSAGE_ID, TO_CLASS, SORT FROM b_module_to_module WHERE TO_MODULE_ID = 'b24bridge.connector' ORDER BY ID"));
		self::assertFileExists($this->box->documentRoot . '/bitrix/services/b24bridge.connector/token.php');

		$app = $this->box->query("SELECT CLIENT_ID, ACTIVE, INSTALLED, STATUS, SCOPE FROM b_rest_app")[0];
		self::assertSame(['CLIENT_ID' => 'local.b24bridge.connector', 'ACTIVE' => 'Y', 'INSTALLED' => 'N', 'STATUS' => 'L',
			'SCOPE' => 'telephony,crm,user,task,b24bridge'], $app, 'registered, not installed until armed');

		$stored = $this->box->query("SELECT VALUE FROM b_option WHERE MODULE_ID = 'b24bridge.connector' AND NAME = 'credential_hash'")[0]['VALUE'];
		self::assertNotSame($credential, $stored);
		self::assertTrue(password_verify($credential, $stored), 'only the hash is kept');
		self::assertSame([], $this->box->query("SELECT * FROM b_option WHERE VALUE LIKE '%" . $credential . "%'"));
	}

	public function testInstallOnABoxThatOnceRegisteredWithTheCloudDoesNotAskTheCloud(): void
	{
		// a box registered with the OAuth server while it was online asks it when a local application is added
		// (app.php:299-384) and deletes the row when that fails; the module's application must survive that
		\Bitrix\Main\Config\Option::set('rest', 'service_client_id', 'ext.1234567890');

		$this->box->installModule();

		self::assertCount(1, $this->box->query("SELECT ID FROM b_rest_app WHERE CLIENT_ID = 'local.b24bridge.connector'"));
	}

	public function testArmingBindsTheEventsInstallsTheApplicationAndQueuesTheInstallEvent(): void
	{
		$this->box->installAndArm('https://10.0.0.5:9443');

		self::assertSame([
			['EVENT_NAME' => 'ONAPPINSTALL', 'EVENT_HANDLER' => 'https://10.0.0.5:9443'],
			['EVENT_NAME' => 'ONEXTERNALCALLSTART', 'EVENT_HANDLER' => 'https://10.0.0.5:9443'],
			['EVENT_NAME' => 'ONEXTERNALCALLBACKSTART', 'EVENT_HANDLER' => 'https://10.0.0.5:9443'],
		], $this->box->query('SELECT EVENT_NAME, EVENT_HANDLER FROM b_rest_event ORDER BY ID'));
		self::assertSame([
			['FROM_MODULE_ID' => 'rest', 'TO_METHOD' => 'rest__ONRESTAPPINSTALL'],
			['FROM_MODULE_ID' => 'voximplant', 'TO_METHOD' => 'voximplant__ONEXTERNALCALLSTART'],
			['FROM_MODULE_ID' => 'voximplant', 'TO_METHOD' => 'voximplant__ONEXTERNALCALLBACKSTART'],
		], $this->box->query("SELECT FROM_MODULE_ID, TO_METHOD FROM b_module_to_module WHERE TO_CLASS = '\\\\Bitrix\\\\Rest\\\\Event\\\\Callback' ORDER BY ID"));
		self::assertSame('Y', $this->box->query('SELECT INSTALLED FROM b_rest_app')[0]['INSTALLED']);
		self::assertSame([['EVENT_NAME' => 'ONAPPINSTALL', 'LOCAL_USER' => '1', 'SEND_REFRESH_TOKEN' => 'Y']],
			$this->box->query("SELECT EVENT_NAME, LOCAL_USER, SEND_REFRESH_TOKEN FROM b24bridge_connector_queue WHERE ACKED = 'N'"));
		self::assertSame([], Box::eventsLostToTheCloud(), 'nothing of ours went the cloud path');
	}

	public function testArmingIsRefusedWithAReasonWhileTheApplianceIsNotDescribed(): void
	{
		$this->box->installModule();
		$this->box->optionsPage(['action' => 'save', 'appliance_url' => 'http://appliance:9443', 'appliance_dn' => '', 'identity_source' => 'fastcgi', 'user_id' => '1']);

		$page = $this->box->optionsPage(['action' => 'arm']);

		self::assertStringContainsString('host contains a dot', $page);
		self::assertStringContainsString('subject of the appliance', $page);
		self::assertStringContainsString('id="b24bridge-state">not configured<', $page);
		self::assertSame([], $this->box->query('SELECT * FROM b_rest_event'));
	}

	public function testDisarmingAndUninstallingLeaveTheBoxsPathsAsTheyWere(): void
	{
		$before = $this->snapshot();

		$this->box->installAndArm();
		$this->box->optionsPage(['action' => 'disarm']);
		self::assertSame([], $this->box->query('SELECT * FROM b_rest_event'), 'disarmed: no event rows');
		$this->box->uninstallModule();

		self::assertSame($before, $this->snapshot());
		self::assertSame([], $this->box->query("SHOW TABLES LIKE 'b24bridge%'"));
		self::assertFileDoesNotExist($this->box->documentRoot . '/bitrix/services/b24bridge.connector/token.php');
	}

	public function testUninstallKeepsTheEventBindingsOtherApplicationsNeed(): void
	{
		$this->box->query("INSERT INTO b_rest_app (CLIENT_ID, CODE, ACTIVE, INSTALLED, URL, SCOPE, STATUS) VALUES ('local.other', 'local.other', 'Y', 'Y', 'https://other.example.test/', 'telephony', 'L')");
		\Bitrix\Rest\EventTable::add(['APP_ID' => 1, 'EVENT_NAME' => 'ONEXTERNALCALLSTART', 'EVENT_HANDLER' => 'https://other.example.test/hook']);
		$before = $this->snapshot();

		$this->box->installAndArm();
		$this->box->uninstallModule();

		self::assertSame($before, $this->snapshot());
		self::assertCount(1, $this->box->query("SELECT ID FROM b_module_to_module WHERE TO_METHOD = 'voximplant__ONEXTERNALCALLSTART'"));
	}

	/** The rows through which the box finds validators, providers, methods and event handlers. */
	private function snapshot(): array
	{
		return [
			'handlers' => $this->box->query('SELECT FROM_MODULE_ID, MESSAGE_ID, TO_MODULE_ID, TO_CLASS, TO_METHOD, SORT FROM b_module_to_module ORDER BY ID'),
			'modules' => $this->box->query('SELECT ID FROM b_module ORDER BY ID'),
			'apps' => $this->box->query('SELECT CLIENT_ID, ACTIVE, INSTALLED FROM b_rest_app ORDER BY ID'),
			'events' => $this->box->query('SELECT APP_ID, EVENT_NAME, EVENT_HANDLER FROM b_rest_event ORDER BY ID'),
			'options' => $this->box->query('SELECT MODULE_ID, NAME, VALUE FROM b_option ORDER BY MODULE_ID, NAME'),
		];
	}
}
