<?php

declare(strict_types=1);

namespace B24bridge\Connector\Event;

/**
 * One event for the appliance as the queue stores it: what the box's Sender put in its queue item
 * (Sqs::queryItem, rest/lib/sqs.php:18-30; built in rest/lib/event/sender.php:209-288) – the event, its handler row,
 * its data, the user who caused it and the loop counter – but no token: tokens are minted when the event is pulled.
 */
final class QueuedEvent
{
	public function __construct(
		public readonly string $eventName,
		public readonly int $handlerId,
		/** The data as a handler's form POST would carry it: strings, nulls and empty arrays dropped. */
		public readonly array $data,
		public readonly int $ts,
		public readonly int $localUser,
		public readonly ?int $eventSession,
		public readonly string $domain,
		public readonly bool $sendAuth,
		public readonly bool $sendRefreshToken,
	)
	{
	}

	/** From a queue item handed to the event provider. */
	public static function fromQueueItem(array $item): self
	{
		$query = $item['query']['QUERY_DATA'] ?? [];
		$auth = $item['auth'] ?? [];
		$additional = $item['additional'] ?? [];

		return new self(
			mb_strtoupper((string)($query['event'] ?? '')),
			(int)($query['event_handler_id'] ?? 0),
			FormEncoding::decoded(is_array($query['data'] ?? null) ? $query['data'] : []),
			(int)($query['ts'] ?? time()),
			(int)($auth['LOCAL_USER'] ?? 0),
			isset($auth['EVENT_SESSION']) && $auth['EVENT_SESSION'] !== false ? (int)$auth['EVENT_SESSION'] : null,
			(string)($item['query']['DOMAIN'] ?? ''),
			(bool)($additional['sendAuth'] ?? true),
			(bool)($additional['sendRefreshToken'] ?? false),
		);
	}
}
