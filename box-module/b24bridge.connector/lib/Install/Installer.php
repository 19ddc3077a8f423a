<?php

declare(strict_types=1);

namespace B24bridge\Connector\Install;

use B24bridge\Connector\Auth\Credential;
use B24bridge\Connector\Auth\RestAuth;
use B24bridge\Connector\Auth\TokenStore;
use B24bridge\Connector\Clock;
use B24bridge\Connector\Event\EventQueue;
use B24bridge\Connector\Event\QueueProvider;
use B24bridge\Connector\Module;
use B24bridge\Connector\Rest\Methods;
use B24bridge\Connector\Settings;
use Bitrix\Main\Application;
use Bitrix\Main\Config\Option;
use Bitrix\Main\EventManager;
use Bitrix\Main\Localization\Loc;
use Bitrix\Main\Security\Random;
use Bitrix\Main\SystemException;
use Bitrix\Rest\AppTable;
use Bitrix\Rest\Event\Sender;
use Bitrix\Rest\EventTable;
use Bitrix\Rest\HandlerHelper;
use Bitrix\Rest\RestException;

Loc::loadMessages(__FILE__);

/**
 * Everything the module adds to the box, and how it is taken away again:
 *  - its tables (install/db/mysql), the queue seeded so that ids only grow;
 *  - three handlers in b_module_to_module: the token validator (rest:OnRestCheckAuth, sort 90), its REST methods
 *    (rest:OnRestServiceBuildDescription) and its event provider (rest:onEventManagerInitialize);
 *  - the token endpoint under /bitrix/services/b24bridge.connector/;
 *  - a local application row in b_rest_app, added without asking an OAuth server;
 *  - when armed: the application's event rows in b_rest_event and the box's Callback handlers on the PHP events
 *    behind them – only those that were not there before, so disarming puts back exactly what was.
 */
final class Installer
{
	/** [from module, event, class, method, sort] */
	public const HANDLERS = [
		['rest', 'OnRestCheckAuth', RestAuth::class, 'onRestCheckAuth', Module::AUTH_HANDLER_SORT],
		['rest', 'OnRestServiceBuildDescription', Methods::class, 'onRestServiceBuildDescription', 100],
		['rest', 'onEventManagerInitialize', QueueProvider::class, 'onEventManagerInitialize', 100],
	];

	private const PLACEHOLDER_URL = 'https://appliance.b24bridge.invalid/';

	public function __construct(private readonly string $moduleDir)
	{
		Module::requireBoxModules('rest');
	}

	public function installDatabase(): void
	{
		$connection = Application::getConnection();
		$errors = $connection->executeSqlBatch((string)file_get_contents($this->moduleDir . '/install/db/mysql/install.sql'));
		if ($errors !== [])
		{
			throw new SystemException('b24bridge.connector tables: ' . implode('; ', $errors));
		}
		// the sentinel: the first acknowledged mark, its id the seed every later id grows from
		$seed = Clock::millis() * 1000;
		$connection->queryExecute('INSERT INTO ' . EventQueue::TABLE . " (ID, CREATED_MS, EVENT_NAME, EVENT_HANDLER_ID, LOCAL_USER, DOMAIN, TS, SEND_AUTH, SEND_REFRESH_TOKEN, DATA, ACKED)"
			. ' VALUES (' . $seed . ', ' . Clock::millis() . ", '', 0, 0, '', 0, 'N', 'N', '[]', 'Y')");
		$connection->queryExecute('INSERT INTO ' . EventQueue::STATE_TABLE . " (NAME, VALUE) VALUES ('last_pull_ms', 0)");
	}

	public function uninstallDatabase(): void
	{
		Application::getConnection()->executeSqlBatch((string)file_get_contents($this->moduleDir . '/install/db/mysql/uninstall.sql'));
	}

	public function registerHandlers(): void
	{
		foreach (self::HANDLERS as [$from, $event, $class, $method, $sort])
		{
			EventManager::getInstance()->registerEventHandler($from, $event, Module::ID, $class, $method, $sort);
		}
	}

	public function unregisterHandlers(): void
	{
		foreach (self::HANDLERS as [$from, $event, $class, $method])
		{
			EventManager::getInstance()->unRegisterEventHandler($from, $event, Module::ID, $class, $method);
		}
	}

	public function installFiles(): void
	{
		CopyDirFiles($this->moduleDir . '/install/services/b24bridge.connector', Application::getDocumentRoot() . Module::SERVICES_DIR, true, true);
	}

	public function uninstallFiles(): void
	{
		DeleteDirFilesEx(Module::SERVICES_DIR);
	}

	/**
	 * The local application, added directly: the UI path first registers the box at the OAuth server and stops when
	 * that fails (rest/lib/preset/provider.php:397-410), and on a box that was registered once, adding a local
	 * application asks the server too and deletes the row when it cannot (app.php:299-384) – hence
	 * setSkipRemoteUpdate. Credentials are ours; no OAuth server ever sees them.
	 */
	public function registerApplication(): int
	{
		$existing = AppTable::getByClientId(Module::CLIENT_ID);
		if (is_array($existing))
		{
			return (int)$existing['ID'];
		}
		AppTable::setSkipRemoteUpdate(true);
		try
		{
			$result = AppTable::add([
				'CLIENT_ID' => Module::CLIENT_ID,
				'CODE' => Module::CLIENT_ID,
				'ACTIVE' => AppTable::ACTIVE,
				'INSTALLED' => AppTable::NOT_INSTALLED,
				'URL' => self::PLACEHOLDER_URL,
				'VERSION' => '1',
				'SCOPE' => Module::scope(),
				'STATUS' => AppTable::STATUS_LOCAL,
				'CLIENT_SECRET' => Random::getString(32, true),
				'SHARED_KEY' => md5(Random::getString(32, true)),
				'APP_NAME' => Module::APP_NAME,
				'APPLICATION_TOKEN' => Random::getString(32, true),
			]);
			if (!$result->isSuccess())
			{
				throw new SystemException('The b24bridge application could not be registered: ' . implode('; ', $result->getErrorMessages()));
			}

			return (int)$result->getId();
		}
		finally
		{
			AppTable::setSkipRemoteUpdate(false);
		}
	}

	public function removeApplication(): void
	{
		$application = AppTable::getByClientId(Module::CLIENT_ID);
		if (!is_array($application))
		{
			return;
		}
		EventTable::deleteByApp((int)$application['ID']);
		AppTable::setSkipRemoteUpdate(true);
		try
		{
			AppTable::delete((int)$application['ID']);
		}
		finally
		{
			AppTable::setSkipRemoteUpdate(false);
		}
	}

	/** A new credential, returned in clear this once; the previous one stops working. */
	public function issueCredential(): string
	{
		$credential = Credential::issue();
		Settings::saveCredentialHash(Credential::hash($credential));

		return $credential;
	}

	public function arm(): void
	{
		$settings = Settings::load();
		$problems = $this->armingProblems($settings);
		if ($problems !== [])
		{
			throw new ArmingRefused($problems);
		}
		$appId = $this->registerApplication();
		AppTable::update($appId, ['ACTIVE' => AppTable::ACTIVE, 'INSTALLED' => AppTable::INSTALLED, 'URL' => $settings->applianceUrl]);
		$bound = array_filter(explode(',', Option::get(Module::ID, 'bound_events')));
		foreach (Module::EVENTS as $eventName => [$module, $phpEvent])
		{
			if (!$this->callbackBound($module, $phpEvent) && !in_array($eventName, $bound, true))
			{
				$bound[] = $eventName;
			}
			if (EventTable::getRow(['filter' => ['=APP_ID' => $appId, '=EVENT_NAME' => $eventName]]) === null)
			{
				$result = EventTable::add(['APP_ID' => $appId, 'EVENT_NAME' => $eventName, 'EVENT_HANDLER' => $settings->applianceUrl, 'USER_ID' => 0]);
				if (!$result->isSuccess())
				{
					throw new SystemException('Event ' . $eventName . ' could not be bound: ' . implode('; ', $result->getErrorMessages()));
				}
			}
			// as CRestUtil::InstallApp does for ONAPPINSTALL (rest_util.php), whatever EventTable::add did
			Sender::bind($module, $phpEvent);
		}
		Option::set(Module::ID, 'bound_events', implode(',', $bound));
		Settings::saveArmed(true);
		// the install event (OnAppInstall, rest_provider.php:107-115) goes into the queue like any other
		AppTable::install($appId);
	}

	public function disarm(): void
	{
		Settings::saveArmed(false);
		$application = AppTable::getByClientId(Module::CLIENT_ID);
		if (is_array($application))
		{
			EventTable::deleteByApp((int)$application['ID']);
			AppTable::update((int)$application['ID'], ['INSTALLED' => AppTable::NOT_INSTALLED]);
		}
		foreach (array_filter(explode(',', Option::get(Module::ID, 'bound_events'))) as $eventName)
		{
			if (isset(Module::EVENTS[$eventName]) && EventTable::getRow(['filter' => ['=EVENT_NAME' => $eventName]]) === null)
			{
				Sender::unbind(...Module::EVENTS[$eventName]);
			}
		}
		Option::delete(Module::ID, ['name' => 'bound_events']);
		if (Application::getConnection()->isTableExists(TokenStore::TABLE))
		{
			(new TokenStore())->revokeAll();
		}
	}

	/** @return list<string> */
	private function armingProblems(Settings $settings): array
	{
		$problems = [];
		try
		{
			HandlerHelper::checkCallback($settings->applianceUrl);
		}
		catch (RestException $e)
		{
			$problems[] = Loc::getMessage('B24BRIDGE_ARM_BAD_URL');
		}
		if ($settings->applianceDn === '')
		{
			$problems[] = Loc::getMessage('B24BRIDGE_ARM_NO_DN');
		}
		if ($settings->credentialHash === '')
		{
			$problems[] = Loc::getMessage('B24BRIDGE_ARM_NO_CREDENTIAL');
		}
		if ($settings->userId <= 0)
		{
			$problems[] = Loc::getMessage('B24BRIDGE_ARM_NO_USER');
		}
		if ($settings->identitySource === Settings::IDENTITY_HEADER && $settings->proxyKey === '')
		{
			$problems[] = Loc::getMessage('B24BRIDGE_ARM_NO_PROXY_KEY');
		}

		return $problems;
	}

	private function callbackBound(string $module, string $phpEvent): bool
	{
		$name = $module . '__' . mb_strtoupper($phpEvent);
		foreach (EventManager::getInstance()->findEventHandlers($module, $phpEvent, ['rest']) as $handler)
		{
			if (($handler['TO_METHOD'] ?? '') === $name)
			{
				return true;
			}
		}

		return false;
	}
}
