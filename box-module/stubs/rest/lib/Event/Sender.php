<?php

declare(strict_types=1);

namespace Bitrix\Rest\Event;

use Bitrix\Main\Application;
use Bitrix\Main\Event;
use Bitrix\Main\EventManager;
use Bitrix\Rest\AppTable;
use Bitrix\Rest\OAuth\Auth;
use Bitrix\Rest\Sqs;

/**
 * Stub of rest/lib/event/sender.php, following its code:
 *  - bind/unbind register \Bitrix\Rest\Event\Callback::<module>__<EVENT> on the PHP event (sender.php:73-77,443-456);
 *  - call(): per handler row, additional defaults category/sendAuth/sendRefreshToken (41-45,177-183); no event when
 *    the loop counter is spent (185-198); user = row USER_ID, else the logged-in user, else 0 (200-207); application
 *    rows get auth ['EVENT_SESSION', 'LOCAL_USER', 'application_token'] (209-260) – no tokens; identical items of a
 *    hit are dropped (Buffer, 266-289); the item is Sqs::queryItem(client_id, handler URL, ['event',
 *    'event_handler_id', 'data', 'ts']) (277-288); sending is a low-priority background job (303-321, 406-425);
 *  - send() hands the whole batch to getProvider() (327-347), which fires rest:onEventManagerInitialize once per hit
 *    and defaults to ProviderOAuth (358-381, 432-441).
 * Offline handler rows (EVENT_HANDLER '') are not modelled: the module binds online rows only.
 */
class Sender
{
	protected static bool $initialized = false;
	protected static bool $forkSet = false;
	protected static array $queryData = [];
	protected static ?ProviderInterface $provider = null;
	protected static array $buffer = [];
	protected static array $defaultEventParams = ['category' => Sqs::CATEGORY_DEFAULT, 'sendAuth' => true, 'sendRefreshToken' => false];

	public static function parseEventName($name): array
	{
		[$module, $event] = explode('__', $name);

		return ['MODULE_ID' => $module, 'EVENT' => str_replace(['_0_', '_1_'], ['\\', '::'], $event)];
	}

	public static function bind($moduleId, $eventName): void
	{
		EventManager::getInstance()->registerEventHandler($moduleId, $eventName, 'rest', '\\Bitrix\\Rest\\Event\\Callback', static::getHandlerName($moduleId, $eventName));
	}

	public static function unbind($moduleId, $eventName): void
	{
		EventManager::getInstance()->unRegisterEventHandler($moduleId, $eventName, 'rest', '\\Bitrix\\Rest\\Event\\Callback', static::getHandlerName($moduleId, $eventName));
	}

	public static function getDefaultEventParams(): array
	{
		return static::$defaultEventParams;
	}

	public static function call($handlersList): void
	{
		global $USER;
		foreach ($handlersList as [$handler, $data, $additional])
		{
			$additional += static::$defaultEventParams;
			$session = Session::get();
			if (!$session)
			{
				return;
			}
			$userId = $handler['USER_ID'] > 0 ? (int)$handler['USER_ID'] : (is_object($USER) && $USER->isAuthorized() ? $USER->getId() : 0);
			if ((int)$handler['APP_ID'] > 0)
			{
				$application = AppTable::getByClientId((int)$handler['APP_ID']);
				$authData = [Session::PARAM_SESSION => $session, Auth::PARAM_LOCAL_USER => $userId, 'application_token' => \CRestUtil::getApplicationToken($application)];
			}
			else
			{
				$application = ['CLIENT_ID' => null];
				$authData = [Session::PARAM_SESSION => $session, Auth::PARAM_LOCAL_USER => $userId, 'application_token' => $handler['APPLICATION_TOKEN']];
			}
			$bufferKey = md5(serialize([$application['CLIENT_ID'], $handler['EVENT_HANDLER'], $handler['EVENT_NAME'], $authData, $data, $additional]));
			if ($handler['EVENT_HANDLER'] === '' || isset(static::$buffer[$bufferKey]))
			{
				continue;
			}
			static::$buffer[$bufferKey] = true;
			static::$queryData[] = Sqs::queryItem(
				$application['CLIENT_ID'],
				$handler['EVENT_HANDLER'],
				['event' => $handler['EVENT_NAME'], 'event_handler_id' => $handler['ID'], 'data' => $data, 'ts' => time()],
				$authData,
				$additional,
			);
		}
		if (static::$queryData !== [] && !static::$forkSet)
		{
			Application::getInstance()->addBackgroundJob(job: [__CLASS__, 'send'], priority: Application::JOB_PRIORITY_LOW);
			static::$forkSet = true;
		}
	}

	public static function send(): void
	{
		if (static::$queryData !== [])
		{
			static::getProvider()->send(static::$queryData);
			static::$queryData = [];
			static::$forkSet = false;
		}
	}

	public static function getProvider(): ProviderInterface
	{
		static::initialize();

		return static::$provider ??= ProviderOAuth::instance();
	}

	public static function setProvider(ProviderInterface $provider): void
	{
		static::$provider = $provider;
	}

	/** Stub-only: each simulated hit starts with Sender's statics as a new PHP request does. */
	public static function resetForNextHit(): void
	{
		static::$initialized = false;
		static::$forkSet = false;
		static::$queryData = [];
		static::$provider = null;
		static::$buffer = [];
	}

	protected static function initialize(): void
	{
		if (!static::$initialized)
		{
			static::$initialized = true;
			(new Event('rest', 'onEventManagerInitialize'))->send();
		}
	}

	protected static function getHandlerName($moduleId, $eventName): string
	{
		return $moduleId . '__' . mb_strtoupper(str_replace(['\\', '::'], ['_0_', '_1_'], $eventName));
	}
}
