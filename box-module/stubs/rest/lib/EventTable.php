<?php

declare(strict_types=1);

namespace Bitrix\Rest;

use Bitrix\Main\ORM\Data\DataManager;
use Bitrix\Rest\Event\Sender;

/**
 * Stub of rest/lib/event.php (b_rest_event). A row binds an application's REST event to a handler URL ('' = offline);
 * APP_ID+EVENT_NAME+EVENT_HANDLER+USER_ID+CONNECTOR_ID is unique ("Handler already binded", event.php:203-227); after
 * add, EventTable::bind() hooks the PHP event through Sender::bind() (onAfterAdd → bind, event.php:163-201);
 * deleteByApp($appId) removes an application's rows.
 */
class EventTable extends DataManager
{
	public const TYPE_ONLINE = 'online';
	public const TYPE_OFFLINE = 'offline';

	public static function getTableName(): string
	{
		return 'b_rest_event';
	}

	public static function getMap(): array
	{
		return ['ID', 'APP_ID', 'EVENT_NAME', 'EVENT_HANDLER', 'USER_ID', 'TITLE', 'COMMENT', 'DATE_CREATE', 'APPLICATION_TOKEN', 'CONNECTOR_ID'];
	}

	protected static function beforeAdd(array $fields): array
	{
		$fields['EVENT_NAME'] = mb_strtoupper((string)$fields['EVENT_NAME']);
		$fields += ['USER_ID' => 0, 'CONNECTOR_ID' => '', 'DATE_CREATE' => new \Bitrix\Main\Type\DateTime()];
		$exists = static::getRow(['filter' => [
			'=APP_ID' => $fields['APP_ID'], '=EVENT_NAME' => $fields['EVENT_NAME'], '=EVENT_HANDLER' => $fields['EVENT_HANDLER'],
			'=USER_ID' => $fields['USER_ID'], '=CONNECTOR_ID' => $fields['CONNECTOR_ID'],
		]]);
		if ($exists !== null)
		{
			throw new RestException('Handler already binded', 'ERROR_EVENT_HANDLER_EXISTS');
		}

		return $fields;
	}

	protected static function afterAdd(int $id, array $fields): void
	{
		static::bind($fields['EVENT_NAME']);
	}

	/** bind($eventName): the PHP event behind the REST event gets the rest Callback handler (event.php:163-201). */
	public static function bind(string $eventName): void
	{
		foreach ((new \CRestProvider())->getDescription() as $scopeMethods)
		{
			foreach ($scopeMethods[\CRestUtil::EVENTS] ?? [] as $restEvent => $description)
			{
				if (mb_strtoupper($restEvent) === mb_strtoupper($eventName))
				{
					Sender::bind($description[0], $description[1]);
				}
			}
		}
	}

	public static function deleteByApp($appId): void
	{
		\Bitrix\Main\Application::getConnection()->queryExecute('DELETE FROM b_rest_event WHERE APP_ID = ' . (int)$appId);
	}
}
