<?php

declare(strict_types=1);

namespace B24bridge\Connector;

use B24bridge\Connector\Event\EventQueue;

/** The module's state for the appliance's /health and doctor, and for the options page. */
final class Status
{
	public const ARMED = 'armed';
	public const DISARMED = 'disarmed';
	public const NOT_CONFIGURED = 'not_configured';

	public static function state(Settings $settings): string
	{
		if ($settings->armed)
		{
			return self::ARMED;
		}

		return $settings->applianceDn === '' || $settings->applianceUrl === '' || $settings->credentialHash === '' ? self::NOT_CONFIGURED : self::DISARMED;
	}

	public static function describe(Settings $settings, EventQueue $queue): array
	{
		$oldest = $queue->oldestUndelivered();
		$lastPull = $queue->lastPullMs();
		$now = Clock::millis();

		return [
			'module_id' => Module::ID,
			'version' => Module::version(),
			'state' => self::state($settings),
			'client_id' => Module::CLIENT_ID,
			'queue_depth' => $queue->depth(),
			'oldest_undelivered' => $oldest === null ? null : [
				'id' => (int)$oldest['ID'],
				'event' => $oldest['EVENT_NAME'],
				'queued_at' => gmdate('Y-m-d\TH:i:s\Z', intdiv((int)$oldest['CREATED_MS'], 1000)),
				'age_seconds' => intdiv(max(0, $now - (int)$oldest['CREATED_MS']), 1000),
				'deliveries' => (int)$oldest['DELIVERIES'],
			],
			'acked_through' => $queue->ackedThrough(),
			'last_pull_at' => $lastPull === null ? null : gmdate('Y-m-d\TH:i:s\Z', intdiv($lastPull, 1000)),
		];
	}
}
