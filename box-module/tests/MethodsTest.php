<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Tests\Support\Appliance;
use B24bridge\Tests\Support\BoxTestCase;
use BoxStub\Box;

/** The module's own REST methods: status for /health and doctor, the call lookup for lost register answers. */
final class MethodsTest extends BoxTestCase
{
	private Appliance $appliance;

	protected function setUp(): void
	{
		parent::setUp();
		$this->appliance = new Appliance($this->box, $this->box->installAndArm());
	}

	public function testStatusNamesVersionStateQueueDepthAndTheOldestUndeliveredEvent(): void
	{
		[$status, $answer] = $this->appliance->call('b24bridge.status', []);

		self::assertSame(200, $status);
		$result = $answer['result'];
		self::assertSame(['module_id' => 'b24bridge.connector', 'version' => '1.0.0', 'state' => 'armed', 'client_id' => 'local.b24bridge.connector', 'queue_depth' => 1],
			array_intersect_key($result, array_flip(['module_id', 'version', 'state', 'client_id', 'queue_depth'])));
		self::assertSame('ONAPPINSTALL', $result['oldest_undelivered']['event']);
		self::assertSame(0, $result['oldest_undelivered']['deliveries']);
		self::assertNull($result['last_pull_at']);
	}

	public function testALostRegisterAnswerIsFoundOpenThenFinished(): void
	{
		[, $registered] = $this->appliance->call('telephony.externalcall.register', ['USER_ID' => 2, 'PHONE_NUMBER' => '+79161110101', 'TYPE' => 2, 'EXTERNAL_CALL_ID' => 'pbx1:1700000000.7']);
		$callId = $registered['result']['CALL_ID'];

		[$status, $open] = $this->appliance->call('b24bridge.call.find', ['EXTERNAL_CALL_ID' => 'pbx1:1700000000.7']);
		self::assertSame(200, $status);
		self::assertCount(1, $open['result']['calls']);
		self::assertSame(['STATE' => 'OPEN', 'CALL_ID' => $callId, 'EXTERNAL_CALL_ID' => 'pbx1:1700000000.7', 'USER_ID' => 2, 'PHONE_NUMBER' => '+79161110101', 'TYPE' => 2],
			array_diff_key($open['result']['calls'][0], ['CALL_START_DATE' => 0]));

		$this->appliance->call('telephony.externalcall.finish', ['CALL_ID' => $callId, 'USER_ID' => 2, 'DURATION' => 42, 'VOTE' => 5]);
		[, $finished] = $this->appliance->call('b24bridge.call.find', ['EXTERNAL_CALL_ID' => 'pbx1:1700000000.7']);

		self::assertCount(1, $finished['result']['calls']);
		self::assertSame(['STATE' => 'FINISHED', 'CALL_ID' => $callId, 'DURATION' => 42, 'STATUS_CODE' => '200', 'VOTE' => 5],
			array_intersect_key($finished['result']['calls'][0], array_flip(['STATE', 'CALL_ID', 'DURATION', 'STATUS_CODE', 'VOTE'])));
	}

	public function testACallNeverRegisteredIsAnEmptyList(): void
	{
		[$status, $answer] = $this->appliance->call('b24bridge.call.find', ['EXTERNAL_CALL_ID' => 'pbx1:never']);

		self::assertSame(200, $status);
		self::assertSame([], $answer['result']['calls']);
	}

	public function testAnotherApplicationsCallsAreNotShown(): void
	{
		$this->box->query("INSERT INTO b_voximplant_call (CALL_ID, EXTERNAL_CALL_ID, USER_ID, CALLER_ID, INCOMING, DATE_CREATE, REST_APP_ID) VALUES ('externalCall.other', 'pbx1:shared', 2, '+79161110101', 2, NOW(), 999)");

		[, $answer] = $this->appliance->call('b24bridge.call.find', ['EXTERNAL_CALL_ID' => 'pbx1:shared']);

		self::assertSame([], $answer['result']['calls']);
	}

	public function testTheLookupNeedsAReasonableExternalCallId(): void
	{
		[$missing, $missingAnswer] = $this->appliance->call('b24bridge.call.find', []);
		[$long, $longAnswer] = $this->appliance->call('b24bridge.call.find', ['EXTERNAL_CALL_ID' => str_repeat('9', 256)]);
		[$list] = $this->appliance->call('b24bridge.call.find', ['EXTERNAL_CALL_ID' => ['a', 'b']]);

		self::assertSame([400, 'ERROR_ARGUMENT'], [$missing, $missingAnswer['error']]);
		self::assertSame([400, 'ERROR_ARGUMENT'], [$long, $longAnswer['error']]);
		self::assertSame(400, $list);
	}

	public function testAnotherApplicationCannotUseTheModulesMethods(): void
	{
		$this->box->query("INSERT INTO b_rest_app (CLIENT_ID, CODE, ACTIVE, INSTALLED, URL, SCOPE, STATUS) VALUES ('local.other', 'local.other', 'Y', 'Y', 'https://other.example.test/', 'b24bridge', 'L')");
		\Bitrix\Rest\OAuth\Auth::storeRegisteredAuth(['access_token' => 'othertoken', 'client_id' => 'local.other', 'user_id' => 3, 'expires' => time() + 600, 'scope' => 'b24bridge']);
		$before = $this->box->query('SELECT ID, DELIVERIES, ACKED FROM b24bridge_connector_queue ORDER BY ID');

		[$status, $answer] = $this->box->rest('b24bridge.events.pull', ['auth' => 'othertoken'], Box::applianceConnection());

		self::assertSame([403, 'ACCESS_DENIED'], [$status, $answer['error']]);
		self::assertSame($before, $this->box->query('SELECT ID, DELIVERIES, ACKED FROM b24bridge_connector_queue ORDER BY ID'));
	}
}
