<?php

declare(strict_types=1);

namespace B24bridge\Tests;

use B24bridge\Connector\Event\EventQueue;
use B24bridge\Tests\Support\Appliance;
use B24bridge\Tests\Support\BoxTestCase;
use BoxStub\Box;

/** At least once, in order, acknowledged by id, kept while the appliance is away. */
final class QueueTest extends BoxTestCase
{
	private Appliance $appliance;
	private string $credential;

	protected function setUp(): void
	{
		parent::setUp();
		$this->credential = $this->box->installAndArm();
		$this->appliance = new Appliance($this->box, $this->credential);
		$this->box->makeDefaultOutgoingLine('local.b24bridge.connector');
		$install = $this->appliance->pull();
		$this->appliance->ack($install[0]['id']);
	}

	public function testAfterAnHourAwayEveryClickArrivesOnceInOrder(): void
	{
		$numbers = [];
		for ($i = 0; $i < 60; $i++)
		{
			$numbers[] = sprintf('+7916%07d', $i);
			$this->box->click(Box::MANAGER, end($numbers));
		}
		$this->advanceClock(3600 * 1000);
		$this->appliance = new Appliance($this->box, $this->credential); // back, with a new token

		$received = [];
		$lastId = 0;
		while (($batch = $this->appliance->pull(25)) !== [])
		{
			foreach ($batch as $event)
			{
				self::assertGreaterThan($lastId, $event['id'], 'ids only grow');
				$lastId = $event['id'];
				$received[] = $event['data']['PHONE_NUMBER'];
			}
			[$status, $answer] = $this->appliance->ack($lastId);
			self::assertSame(200, $status);
			self::assertSame(count($batch), $answer['result']['acknowledged']);
		}

		self::assertSame($numbers, $received);
		self::assertSame(0, (new EventQueue())->depth());
	}

	public function testAnUnacknowledgedEventComesAgainWithTheSameId(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');

		$first = $this->appliance->pull();
		$again = $this->appliance->pull();

		self::assertSame($first[0]['id'], $again[0]['id']);
		self::assertSame([1, 2], [$first[0]['attempt'], $again[0]['attempt']]);
		self::assertSame($first[0]['data'], $again[0]['data']);
	}

	public function testAcknowledgingTwiceIsRefusedAndChangesNothing(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');
		$this->box->click(Box::MANAGER, '+79161110102');
		$events = $this->appliance->pull();
		$this->appliance->ack($events[0]['id']);
		$before = $this->queueRows();

		[$status, $answer] = $this->appliance->ack($events[0]['id']);

		self::assertSame(400, $status);
		self::assertSame('ALREADY_ACKNOWLEDGED', $answer['error']);
		self::assertSame($events[0]['id'], $answer['acked_through']);
		self::assertSame($before, $this->queueRows());
	}

	public function testAnIdNoPullReturnedCannotBeAcknowledged(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');
		$before = $this->queueRows();
		$next = (int)$this->box->query("SELECT MAX(ID) AS ID FROM b24bridge_connector_queue")[0]['ID'];

		[$beyond, $beyondAnswer] = $this->appliance->ack($next);
		[$garbage, $garbageAnswer] = $this->appliance->ack('12; DELETE FROM b24bridge_connector_queue');

		self::assertSame([400, 'NOT_DELIVERED'], [$beyond, $beyondAnswer['error']]);
		self::assertSame([400, 'ERROR_ARGUMENT'], [$garbage, $garbageAnswer['error']]);
		self::assertSame($before, $this->queueRows());
	}

	public function testAGapInTheIdsHoldsLaterEventsUntilItCannotBeAnInsertStillCommitting(): void
	{
		// the gap's age is the clock's alone: on the real clock a pull more than SETTLE_MS (500 ms) after the click
		// found the gap settled already and delivered the held row
		$this->freezeClock();
		$this->box->click(Box::MANAGER, '+79161110101');
		$held = (int)$this->box->query('SELECT MAX(ID) AS ID FROM b24bridge_connector_queue')[0]['ID'];
		// the row two above the last one arrives while the one in between may still be committing
		$this->box->query('UPDATE b24bridge_connector_queue SET ID = ID + 1 WHERE ID = ' . $held);

		self::assertSame([], $this->appliance->pull(), 'held while the gap is young');
		$this->advanceClock(EventQueue::SETTLE_MS);
		$events = $this->appliance->pull();

		self::assertSame([$held + 1], array_column($events, 'id'));
	}

	public function testAnEventThatCommitsBelowTheAcknowledgedMarkIsStillDelivered(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');
		$this->box->click(Box::MANAGER, '+79161110102');
		$rows = $this->box->query("SELECT ID FROM b24bridge_connector_queue WHERE ACKED = 'N' ORDER BY ID");
		// the first insert is late: the pull sees only the second, once the gap has settled
		$this->box->query("UPDATE b24bridge_connector_queue SET ACKED = 'L' WHERE ID = " . $rows[0]['ID']);
		$this->advanceClock(EventQueue::SETTLE_MS);
		$second = $this->appliance->pull();
		$this->appliance->ack($second[0]['id']);
		$this->box->query("UPDATE b24bridge_connector_queue SET ACKED = 'N' WHERE ID = " . $rows[0]['ID']);

		$late = $this->appliance->pull();

		self::assertSame([(int)$rows[0]['ID']], array_column($late, 'id'));
		self::assertSame('+79161110101', $late[0]['data']['PHONE_NUMBER']);
	}

	public function testTheLastAcknowledgedRowStaysSoAServerRestartCannotReuseIds(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');
		$event = $this->appliance->pull()[0];
		$this->appliance->ack($event['id']);

		self::assertSame([['ID' => (string)$event['id'], 'ACKED' => 'Y']], $this->box->query('SELECT ID, ACKED FROM b24bridge_connector_queue'));
	}

	public function testIdsOfAReinstalledModuleStayAboveTheOldOnes(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');
		$old = $this->appliance->pull()[0]['id'];
		$this->box->uninstallModule();
		$this->advanceClock(1000);

		$appliance = new Appliance($this->box, $this->box->installAndArm());
		$first = $appliance->pull()[0];

		self::assertSame('ONAPPINSTALL', $first['event']);
		self::assertGreaterThan($old, $first['id']);
	}

	public function testAWaitingPullWithNothingToDeliverAnswersEmpty(): void
	{
		self::assertSame([], $this->appliance->pull(10, 1));
		self::assertNotNull((new EventQueue())->lastPullMs());
	}

	public function testPullParametersOutsideTheirRangeAreRefused(): void
	{
		[$wait] = $this->appliance->call('b24bridge.events.pull', ['wait' => 26]);
		[$limit, $answer] = $this->appliance->call('b24bridge.events.pull', ['limit' => 0]);

		self::assertSame(400, $wait);
		self::assertSame([400, 'ERROR_ARGUMENT', 'limit'], [$limit, $answer['error'], $answer['argument']]);
	}

	public function testAnEventsTokenCarriesTheBoxsEventLoopCounter(): void
	{
		$this->box->click(Box::MANAGER, '+79161110101');
		$token = $this->appliance->pull()[0]['auth']['access_token'];

		$this->box->rest('app.info', ['auth' => $token], Box::applianceConnection());

		// the click's hit started the counter at 7; a call made with the event's token continues it (rest.php:611-615)
		self::assertSame(6, \Bitrix\Rest\Event\Session::get());
	}

	private function queueRows(): array
	{
		return $this->box->query('SELECT ID, DELIVERIES, ACKED FROM b24bridge_connector_queue ORDER BY ID');
	}
}
