<?php

declare(strict_types=1);

namespace B24bridge\Connector\Event;

use B24bridge\Connector\Clock;

/**
 * The long poll behind b24bridge.events.pull: answers as soon as an event can go out, or after the wait with none.
 * The wait costs the box one PHP worker and one indexed SELECT every POLL_INTERVAL_MS; a box hit that queues an event
 * only pays its INSERT and never waits on the appliance.
 */
final class Puller
{
	public const MAX_WAIT_SECONDS = 25;
	public const MAX_LIMIT = 100;
	public const POLL_INTERVAL_MS = 50;

	public function __construct(private readonly EventQueue $queue)
	{
	}

	/** @return list<array> rows, marked delivered */
	public function pull(int $waitSeconds, int $limit): array
	{
		$deadline = Clock::millis() + $waitSeconds * 1000;
		while (true)
		{
			$rows = $this->queue->deliverable($limit);
			if ($rows !== [] || Clock::millis() >= $deadline)
			{
				break;
			}
			usleep(self::POLL_INTERVAL_MS * 1000);
		}
		$this->queue->markDelivered(array_map(static fn(array $row): int => (int)$row['ID'], $rows));
		$this->queue->recordPull();

		return $rows;
	}
}
