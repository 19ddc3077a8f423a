<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Tests\Support\Appliance;
use B24bridge\Tests\Support\BoxTestCase;
use BoxStub\Box;

/** A click in the CRM, a callback form, the install: each reaches the appliance from the module's queue, with auth built on the box. */
final class EventDeliveryTest extends BoxTestCase
{
	private Appliance $appliance;

	protected function setUp(): void
	{
		parent::setUp();
		$this->appliance = new Appliance($this->box, $this->box->installAndArm());
		$this->box->makeDefaultOutgoingLine('local.b24bridge.connector');
		$this->drainInstallEvent();
	}

	public function testAClickIsQueuedWithoutAnyToken(): void
	{
		self::assertNull($this->box->click(Box::MANAGER, '+79161110101'));

		$rows = $this->box->query("SELECT EVENT_NAME, LOCAL_USER, DATA FROM b24bridge_connector_queue WHERE ACKED = 'N'");
		self::assertCount(1, $rows);
		self::assertSame(['ONEXTERNALCALLSTART', '2'], [$rows[0]['EVENT_NAME'], $rows[0]['LOCAL_USER']]);
		self::assertStringNotContainsString('access_token', $rows[0]['DATA']);
		self::assertSame([], Box::eventsLostToTheCloud());
	}

	public function testTheClickReachesTheApplianceAsItsHandlerWouldHaveReceivedIt(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');

		$events = $this->appliance->pull();

		self::assertCount(1, $events);
		$event = $events[0];
		self::assertSame(['id', 'attempt', 'queued_at', 'event', 'event_handler_id', 'data', 'ts', 'auth'], array_keys($event));
		self::assertSame(1, $event['attempt']);
		self::assertSame('ONEXTERNALCALLSTART', $event['event']);
		$call = $this->box->query('SELECT CALL_ID FROM b_voximplant_call')[0]['CALL_ID'];
		self::assertSame([
			'PHONE_NUMBER' => '+79161110101', 'PHONE_NUMBER_INTERNATIONAL' => '+79161110101', 'EXTENSION' => '', 'USER_ID' => '2',
			'CALL_LIST_ID' => '0', 'LINE_NUMBER' => '', 'IS_MOBILE' => '0', 'CALL_ID' => $call, 'CRM_ENTITY_TYPE' => '',
		], $event['data'], 'form-encoded: strings, false as 0, nulls and empty lists gone, no APP_ID');
		self::assertSame(['access_token', 'expires_in', 'scope', 'domain', 'server_endpoint', 'status', 'client_endpoint', 'application_token'], array_keys($event['auth']));
		self::assertSame('3600', $event['auth']['expires_in']);
		self::assertSame(Box::HOST, $event['auth']['domain']);
		self::assertSame($this->applicationToken(), $event['auth']['application_token']);
	}

	public function testTheEventsTokenActsAsTheUserWhoClicked(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');
		$token = $this->appliance->pull()[0]['auth']['access_token'];

		[$status] = $this->box->rest('app.info', ['auth' => $token], Box::applianceConnection());

		self::assertSame(200, $status);
		self::assertSame(Box::MANAGER, $GLOBALS['USER']->GetID());
	}

	public function testACallbackFormHasNoUserSoItsEventCarriesNoToken(): void
	{
		$this->box->callbackForm('local.b24bridge.connector', '+79035550000', 'Call me back');

		$event = $this->appliance->pull()[0];

		self::assertSame('ONEXTERNALCALLBACKSTART', $event['event']);
		self::assertSame(['PHONE_NUMBER' => '+79035550000', 'TEXT' => 'Call me back', 'VOICE' => '', 'CRM_ENTITY_TYPE' => '', 'LINE_NUMBER' => ''], $event['data']);
		self::assertArrayNotHasKey('access_token', $event['auth']);
		self::assertSame($this->applicationToken(), $event['auth']['application_token']);
	}

	public function testTheInstallEventBringsARefreshTokenTheTelephonyEventsDoNot(): void
	{
		$this->box->optionsPage(['action' => 'disarm']);
		$this->box->optionsPage(['action' => 'arm']);
		$appliance = new Appliance($this->box, $this->reissueCredential());

		$install = $appliance->pull()[0];

		self::assertSame('ONAPPINSTALL', $install['event']);
		self::assertSame(['VERSION' => '1', 'ACTIVE' => 'Y', 'INSTALLED' => 'Y', 'LANGUAGE_ID' => 'en'], $install['data']);
		self::assertArrayHasKey('refresh_token', $install['auth']);
	}

	public function testAnotherApplicationsEventsKeepTheBoxsPathAndNeverEnterTheQueue(): void
	{
		$this->box->query("INSERT INTO b_rest_app (CLIENT_ID, CODE, ACTIVE, INSTALLED, URL, SCOPE, STATUS) VALUES ('local.other', 'local.other', 'Y', 'Y', 'https://other.example.test/', 'telephony', 'L')");
		$other = (int)$this->box->query("SELECT ID FROM b_rest_app WHERE CLIENT_ID = 'local.other'")[0]['ID'];
		\Bitrix\Rest\EventTable::add(['APP_ID' => $other, 'EVENT_NAME' => 'ONEXTERNALCALLSTART', 'EVENT_HANDLER' => 'https://other.example.test/hook']);
		$this->box->makeDefaultOutgoingLine('local.other');

		$this->box->click(Box::MANAGER, '+79161110101');

		self::assertSame([], $this->appliance->pull());
		self::assertCount(1, Box::eventsLostToTheCloud());
		self::assertSame('local.other', Box::eventsLostToTheCloud()[0]['client_id']);
	}

	public function testAFailingQueueStillLetsOtherApplicationsEventsGoTheirWay(): void
	{
		$this->box->query("INSERT INTO b_rest_app (CLIENT_ID, CODE, ACTIVE, INSTALLED, URL, SCOPE, STATUS) VALUES ('local.other', 'local.other', 'Y', 'Y', 'https://other.example.test/', 'telephony', 'L')");
		$other = (int)$this->box->query("SELECT ID FROM b_rest_app WHERE CLIENT_ID = 'local.other'")[0]['ID'];
		\Bitrix\Rest\EventTable::add(['APP_ID' => $other, 'EVENT_NAME' => 'ONAPPINSTALL', 'EVENT_HANDLER' => 'https://other.example.test/install']);
		$this->box->query('RENAME TABLE b24bridge_connector_queue TO b24bridge_connector_queue_away');
		$this->box->newHit();
		$this->box->loginAs(Box::ADMIN);
		\Bitrix\Rest\AppTable::install($other);
		\Bitrix\Rest\AppTable::install((int)$this->box->query("SELECT ID FROM b_rest_app WHERE CLIENT_ID = 'local.b24bridge.connector'")[0]['ID']);

		try
		{
			$this->box->endHit();
			self::fail('the failed INSERT must surface in the box\'s error log');
		}
		catch (\Bitrix\Main\DB\SqlQueryException $e)
		{
			self::assertStringContainsString('b24bridge_connector_queue', $e->getMessage());
		}
		self::assertSame(['local.other'], array_column(Box::eventsLostToTheCloud(), 'client_id'));
	}

	private function drainInstallEvent(): void
	{
		$install = $this->appliance->pull();
		self::assertSame('ONAPPINSTALL', $install[0]['event']);
		self::assertSame(200, $this->appliance->ack($install[0]['id'])[0]);
	}

	private function applicationToken(): string
	{
		return $this->box->query("SELECT APPLICATION_TOKEN FROM b_rest_app WHERE CLIENT_ID = 'local.b24bridge.connector'")[0]['APPLICATION_TOKEN'];
	}

	private function reissueCredential(): string
	{
		preg_match('#<pre id="b24bridge-credential">([^<]+)</pre>#', $this->box->optionsPage(['action' => 'credential']), $m);

		return $m[1];
	}
}
