<?php

declare(strict_types=1);

namespace BoxStub;

use Bitrix\Main\Application;
use Bitrix\Main\EventManager;
use Bitrix\Rest\AppTable;
use Bitrix\Rest\Event\ProviderOAuth;
use Bitrix\Rest\Event\Sender;
use Bitrix\Rest\Event\Session;
use Bitrix\Rest\OAuth\Auth;

/**
 * A stub box on a real MariaDB: a document root laid out as a box's (/bitrix/.settings.php, /bitrix/modules/...,
 * /local/modules/b24bridge.connector), the box's own tables, modules main/rest/voximplant registered with the
 * handlers their installers add (rest::InstallDB puts OAuth\Auth on rest:onRestCheckAuth at sort 100; voximplant
 * declares its REST methods and events on rest:OnRestServiceBuildDescription), and a few users.
 * Used by the PHPUnit suite, the served box (serve/) and the bench; each PHP request of a real box is a "hit" here.
 */
final class Box
{
	public const HOST = 'crm.example.test';
	public const APPLIANCE_DN = 'CN=b24bridge-appliance,O=b24bridge test';
	public const ADMIN = 1;
	public const MANAGER = 2;
	public const OTHER_MANAGER = 3;
	public const INACTIVE_USER = 4;

	/** @param array $baseServer what every hit's $_SERVER starts from (a served box: the real request's) */
	private function __construct(public readonly string $documentRoot, private readonly array $baseServer = [])
	{
	}

	public static function create(string $socket, string $database, string $documentRoot, string $moduleDir): self
	{
		self::layOut($documentRoot, $moduleDir, $socket, $database);
		$pdo = new \PDO('mysql:unix_socket=' . $socket . ';charset=utf8mb4', 'root', '');
		$pdo->setAttribute(\PDO::ATTR_ERRMODE, \PDO::ERRMODE_EXCEPTION);
		$pdo->exec('DROP DATABASE IF EXISTS `' . $database . '`');
		$pdo->exec('CREATE DATABASE `' . $database . '` CHARACTER SET utf8mb4');
		$_SERVER['DOCUMENT_ROOT'] = $documentRoot;
		Application::resetForNextHit();
		self::dropConnection();
		$box = new self($documentRoot);
		$connection = Application::getConnection();
		$errors = $connection->executeSqlBatch((string)file_get_contents(B24STUB_ROOT . '/schema.sql'));
		if ($errors !== [])
		{
			throw new \RuntimeException('stub box schema: ' . implode('; ', $errors));
		}
		$connection->queryExecute("INSERT INTO b_module (ID) VALUES ('main'), ('rest'), ('voximplant')");
		$connection->queryExecute("INSERT INTO b_user (ID, LOGIN, ACTIVE, ADMIN) VALUES (1, 'admin', 'Y', 'Y'), (2, 'manager', 'Y', 'N'), (3, 'manager2', 'Y', 'N'), (4, 'gone', 'N', 'N')");
		EventManager::getInstance()->registerEventHandler('rest', 'OnRestCheckAuth', 'rest', '\\Bitrix\\Rest\\OAuth\\Auth', 'onRestCheckAuth');
		EventManager::getInstance()->registerEventHandler('rest', 'OnRestServiceBuildDescription', 'voximplant', 'CVoxImplantRestService', 'OnRestServiceBuildDescription');
		$box->newHit();

		return $box;
	}

	/** An existing stub box (its document root laid out by create()), as a new PHP process sees it. */
	public static function open(string $documentRoot, array $baseServer = []): self
	{
		$_SERVER['DOCUMENT_ROOT'] = $documentRoot;

		return new self($documentRoot, $baseServer);
	}

	/** What a new PHP request starts with: no logged-in user, fresh statics, the given server variables. */
	public function newHit(array $server = []): void
	{
		Application::resetForNextHit();
		\Bitrix\Main\Loader::resetForNextHit();
		EventManager::resetForNextHit();
		Sender::resetForNextHit();
		Session::resetForNextHit();
		\CRestServer::resetForNextHit();
		AppTable::clearCacheForNextHit();
		$GLOBALS['USER']->Logout();
		$GLOBALS['APPLICATION']->ResetException();
		$_SERVER = array_merge(
			['HTTP_HOST' => self::HOST, 'HTTPS' => 'on', 'SERVER_PORT' => '443', 'REQUEST_METHOD' => 'POST'],
			$this->baseServer,
			['DOCUMENT_ROOT' => $this->documentRoot],
			$server,
		);
		$_REQUEST = [];
	}

	/** The end of a hit: the background jobs (Sender::send among them) run after the response. */
	public function endHit(): void
	{
		Application::getInstance()->terminate();
	}

	public static function applianceConnection(): array
	{
		return ['B24BRIDGE_CLIENT_VERIFY' => 'SUCCESS', 'B24BRIDGE_CLIENT_DN' => self::APPLIANCE_DN];
	}

	/**
	 * The administrator installs the module (Settings → Modules → Install, which runs DoInstall and shows the step
	 * page): returns the appliance's credential as that page shows it.
	 */
	public function installModule(): string
	{
		$this->newHit(['REQUEST_METHOD' => 'GET']);
		$this->loginAs(self::ADMIN);
		$module = \CModule::CreateModuleObject('b24bridge.connector');
		ob_start();
		$installed = $module->DoInstall();
		$page = (string)ob_get_clean();
		$this->endHit();
		if (!$installed || !preg_match('#<pre id="b24bridge-credential">([^<]+)</pre>#', $page, $m))
		{
			throw new \RuntimeException('install failed: ' . ($GLOBALS['APPLICATION']->GetException()?->GetString() ?? $page));
		}

		return html_entity_decode($m[1]);
	}

	public function uninstallModule(): void
	{
		$this->newHit(['REQUEST_METHOD' => 'GET']);
		$this->loginAs(self::ADMIN);
		ob_start();
		\CModule::CreateModuleObject('b24bridge.connector')->DoUninstall();
		ob_end_clean();
		$this->endHit();
	}

	/** The administrator's options page: a POST of the form as the browser sends it; returns the page's HTML. */
	public function optionsPage(array $form = [], int $userId = self::ADMIN, bool $withSessid = true): string
	{
		$this->newHit(['REQUEST_METHOD' => $form === [] ? 'GET' : 'POST', 'REQUEST_URI' => '/bitrix/admin/settings.php']);
		$this->loginAs($userId);
		$_REQUEST = $form + ($withSessid && $form !== [] ? ['sessid' => bitrix_sessid()] : []);
		global $APPLICATION;
		ob_start();
		include $this->documentRoot . '/local/modules/b24bridge.connector/options.php';
		$page = (string)ob_get_clean();
		$this->endHit();

		return $page;
	}

	/** Install, enter the appliance, arm: the module as the administrator leaves it; returns the credential. */
	public function installAndArm(string $applianceUrl = 'https://10.0.0.5:9443', string $dn = self::APPLIANCE_DN): string
	{
		$credential = $this->installModule();
		$this->optionsPage(['action' => 'save', 'appliance_url' => $applianceUrl, 'appliance_dn' => $dn, 'identity_source' => 'fastcgi', 'user_id' => (string)self::ADMIN]);
		$page = $this->optionsPage(['action' => 'arm']);
		if (!str_contains($page, 'id="b24bridge-state">armed<'))
		{
			throw new \RuntimeException('arming failed: ' . strip_tags($page));
		}

		return $credential;
	}

	/** The portal's default outgoing line is the application's pseudo-line REST_APP:<id> (vi_config.php:15,251-283). */
	public function makeDefaultOutgoingLine(string $clientId): void
	{
		$app = AppTable::getByClientId($clientId);
		\Bitrix\Main\Config\Option::set('voximplant', 'portal_number', 'REST_APP:' . $app['ID']);
	}

	/** A user clicks a number in the CRM: voximplant.call.startViaRest in that user's hit. */
	public function click(int $userId, string $number): ?string
	{
		$this->newHit();
		$this->loginAs($userId);
		$error = \Bitrix\Voximplant\Rest\Helper::startCall($number, $userId);
		$this->endHit();

		return $error;
	}

	/** A site visitor submits a CRM callback form (no logged-in user) for the line REST_APP:<id>. */
	public function callbackForm(string $clientId, string $number, string $text = ''): void
	{
		$this->newHit();
		$app = AppTable::getByClientId($clientId);
		\Bitrix\Voximplant\Rest\Helper::startCallBack(['APP_ID' => (int)$app['ID'], 'LINE_NUMBER' => '', 'PHONE_NUMBER' => $number, 'TEXT' => $text]);
		$this->endHit();
	}

	public function loginAs(int $userId): void
	{
		$GLOBALS['USER']->Authorize($userId);
	}

	/** A REST hit as /bitrix/services/rest/index.php serves it: [HTTP status, answer]. */
	public function rest(string $method, array $query, array $server = []): array
	{
		$this->newHit($server);
		$restServer = new \CRestServer(['METHOD' => $method, 'QUERY' => $query, 'TRANSPORT' => 'json']);
		$answer = $restServer->process();
		$this->endHit();

		return [(int)$restServer->getStatus(), $answer];
	}

	/** Events the box tried to send through the Bitrix cloud (and lost: it has no route there). */
	public static function eventsLostToTheCloud(): array
	{
		return ProviderOAuth::$lost;
	}

	public static function forgetCloud(): void
	{
		ProviderOAuth::$lost = [];
		Auth::forgetStorage();
		Log::$lines = [];
	}

	public function query(string $sql): array
	{
		return Application::getConnection()->query($sql)->fetchAll();
	}

	private static function layOut(string $root, string $moduleDir, string $socket, string $database): void
	{
		foreach (['/bitrix/modules/main/include', '/bitrix/modules/rest', '/bitrix/modules/voximplant', '/bitrix/services/rest', '/local/modules'] as $dir)
		{
			if (!is_dir($root . $dir))
			{
				mkdir($root . $dir, 0775, true);
			}
		}
		$link = $root . '/local/modules/b24bridge.connector';
		if (!is_link($link))
		{
			symlink($moduleDir, $link);
		}
		file_put_contents($root . '/bitrix/.settings.php', "<?php\nreturn " . var_export(['connections' => ['value' => ['default' => [
			'className' => '\\Bitrix\\Main\\DB\\MysqliConnection', 'socket' => $socket, 'database' => $database, 'login' => 'root', 'password' => '',
		]]]], true) . ";\n");
		file_put_contents($root . '/bitrix/modules/main/include/prolog_before.php', "<?php\nrequire_once " . var_export(B24STUB_ROOT . '/bootstrap.php', true) . ";\n");
	}

	private static function dropConnection(): void
	{
		// a new database: the next getConnection() opens a connection to it
		Application::forgetConnection();
	}
}
