<?php

declare(strict_types=1);

namespace Bitrix\Rest\Event;

use Bitrix\Main\Application;

/**
 * Stub of rest/lib/event/callback.php: the PHP handler behind every bound REST event. It finds the REST event whose
 * description [module, phpEvent, callback, additional] matches (callback.php:29-80), selects the b_rest_event rows of
 * that name whose application is ACTIVE and INSTALLED, or which have no application (callback.php:94-119), calls the
 * description callback ($arguments, $row) for each – its return value is the event data, an exception skips the row
 * (callback.php:170-202) – and hands the list to Sender::call(); with no rows it unbinds itself (callback.php:211-214).
 */
class Callback
{
	public static function __callStatic($name, $arguments)
	{
		$event = Sender::parseEventName($name);
		$restEvent = null;
		foreach ((new \CRestProvider())->getDescription() as $scopeMethods)
		{
			foreach ($scopeMethods[\CRestUtil::EVENTS] ?? [] as $key => $description)
			{
				if ($description[0] == $event['MODULE_ID'] && mb_strtoupper($description[1]) == $event['EVENT'])
				{
					$restEvent = ['EVENT' => $key, 'HANDLER' => $description[2], 'ADDITIONAL' => $description[3] ?? []];
					break 2;
				}
			}
		}

		$handlerFound = false;
		if ($restEvent !== null)
		{
			$connection = Application::getConnection();
			$rows = $connection->query(
				"SELECT e.ID, e.APP_ID, e.EVENT_NAME, e.EVENT_HANDLER, e.USER_ID, e.APPLICATION_TOKEN, e.CONNECTOR_ID, a.CLIENT_ID AS APP_CODE"
				. " FROM b_rest_event e LEFT JOIN b_rest_app a ON a.ID = e.APP_ID"
				. " WHERE e.EVENT_NAME = '" . $connection->getSqlHelper()->forSql(mb_strtoupper($restEvent['EVENT'])) . "'"
				. " AND ((a.ACTIVE = 'Y' AND a.INSTALLED = 'Y') OR a.CLIENT_ID IS NULL) ORDER BY e.ID"
			)->fetchAll();
			$call = [];
			foreach ($rows as $handler)
			{
				$handlerFound = true;
				try
				{
					$data = call_user_func_array($restEvent['HANDLER'], [$arguments, $handler]);
					$call[] = [$handler, $data, $restEvent['ADDITIONAL']];
				}
				catch (\Exception $e)
				{
					AddMessage2Log('Event ' . $event['EVENT'] . ' skipped for handler ' . $handler['ID'] . ': ' . $e->getMessage(), 'rest');
				}
			}
			if ($call !== [])
			{
				Sender::call($call);
			}
		}
		if (!$handlerFound)
		{
			Sender::unbind($event['MODULE_ID'], $event['EVENT']);
		}
	}
}
