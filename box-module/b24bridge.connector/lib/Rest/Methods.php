<?php

declare(strict_types=1);

namespace B24bridge\Connector\Rest;

use B24bridge\Connector\Auth\ApplianceIdentity;
use B24bridge\Connector\Auth\TokenStore;
use B24bridge\Connector\Event\Delivery;
use B24bridge\Connector\Event\EventQueue;
use B24bridge\Connector\Event\Puller;
use B24bridge\Connector\Module;
use B24bridge\Connector\Settings;
use B24bridge\Connector\Status;
use Bitrix\Rest\AccessException;
use Bitrix\Rest\AppTable;
use Bitrix\Rest\RestException;

/**
 * The module's REST methods, declared on rest:OnRestServiceBuildDescription (docs on-premise/custom-methods.md:8-30)
 * under their own scope. Each answers only the b24bridge application over the appliance's connection.
 *
 *   b24bridge.events.pull   wait (0–25 s, default 0), limit (1–100, default 50) → {events: [...]}
 *   b24bridge.events.ack    id (the last id processed) → {acknowledged, acked_through}
 *   b24bridge.status        → module version, state, queue depth, oldest undelivered event, last pull
 *   b24bridge.call.find     EXTERNAL_CALL_ID → {calls: [...]} open or finished, oldest first
 */
final class Methods
{
	public const MAX_EXTERNAL_CALL_ID = 255;

	public static function onRestServiceBuildDescription(): array
	{
		return [
			Module::REST_SCOPE => [
				'b24bridge.events.pull' => ['callback' => [self::class, 'pull'], 'options' => []],
				'b24bridge.events.ack' => ['callback' => [self::class, 'ack'], 'options' => []],
				'b24bridge.status' => ['callback' => [self::class, 'status'], 'options' => []],
				'b24bridge.call.find' => ['callback' => [self::class, 'findCall'], 'options' => []],
			],
		];
	}

	public static function pull($query, $start, \CRestServer $server): array
	{
		$application = self::requireAppliance($server);
		$wait = Params::int($query, 'wait', 0, 0, Puller::MAX_WAIT_SECONDS);
		$limit = Params::int($query, 'limit', 50, 1, Puller::MAX_LIMIT);
		$rows = (new Puller(new EventQueue()))->pull($wait, $limit);
		$delivery = new Delivery(new TokenStore());

		return ['events' => array_map(static fn(array $row): array => $delivery->item($row, $application), $rows)];
	}

	public static function ack($query, $start, \CRestServer $server): array
	{
		self::requireAppliance($server);
		$id = Params::int($query, 'id', null, 1, PHP_INT_MAX);
		$outcome = (new EventQueue())->acknowledge($id);
		if ($outcome->error !== null)
		{
			$exception = new RestException($outcome->description, $outcome->error, \CRestServer::STATUS_WRONG_REQUEST);
			$exception->setAdditional(['acked_through' => $outcome->ackedThrough]);
			throw $exception;
		}

		return ['acknowledged' => $outcome->acknowledged, 'acked_through' => $outcome->ackedThrough];
	}

	public static function status($query, $start, \CRestServer $server): array
	{
		self::requireAppliance($server);

		return Status::describe(Settings::load(), new EventQueue());
	}

	public static function findCall($query, $start, \CRestServer $server): array
	{
		$application = self::requireAppliance($server);
		$externalCallId = Params::string($query, 'EXTERNAL_CALL_ID', self::MAX_EXTERNAL_CALL_ID);

		return ['calls' => (new CallLookup())->find($externalCallId, (int)$application['ID'])];
	}

	/** The b24bridge application, over the appliance's connection – anything else is refused before any work. */
	private static function requireAppliance(\CRestServer $server): array
	{
		if ($server->getAuthType() !== \Bitrix\Rest\OAuth\Auth::AUTH_TYPE || $server->getClientId() !== Module::CLIENT_ID)
		{
			throw new AccessException('The b24bridge.* methods answer only the b24bridge application');
		}
		$refusal = ApplianceIdentity::check($_SERVER, Settings::load());
		if ($refusal !== null)
		{
			throw new RestException($refusal->description, $refusal->error, $refusal->statusLine());
		}
		$application = AppTable::getByClientId(Module::CLIENT_ID);
		if (!is_array($application))
		{
			throw new AccessException('The b24bridge application is not registered on this box');
		}

		return $application;
	}
}
