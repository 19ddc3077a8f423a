<?php

declare(strict_types=1);

use B24bridge\Connector\Install\Installer;
use B24bridge\Connector\Module;
use B24bridge\Connector\Settings;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;
use Bitrix\Main\Security\Random;

Loc::loadMessages(__FILE__);

/**
 * The installer of b24bridge.connector (main/classes/general/module.php: class <vendor>_<module> extends CModule).
 * Install: tables, handlers, token endpoint, the local application and the appliance's credential (shown once).
 * Arming – binding the events and installing the application – is done afterwards on the options page, once the
 * appliance's address and certificate subject are entered. Uninstall takes all of it away.
 */
class b24bridge_connector extends CModule
{
	public $MODULE_ID = 'b24bridge.connector';
	public $MODULE_VERSION;
	public $MODULE_VERSION_DATE;
	public $MODULE_NAME;
	public $MODULE_DESCRIPTION;
	public $PARTNER_NAME = 'b24bridge';
	public $PARTNER_URI = 'https://b24bridge.invalid/';

	public function __construct()
	{
		$arModuleVersion = [];
		include __DIR__ . '/version.php';
		$this->MODULE_VERSION = $arModuleVersion['VERSION'];
		$this->MODULE_VERSION_DATE = $arModuleVersion['VERSION_DATE'];
		$this->MODULE_NAME = Loc::getMessage('B24BRIDGE_MODULE_NAME');
		$this->MODULE_DESCRIPTION = Loc::getMessage('B24BRIDGE_MODULE_DESCRIPTION');
	}

	public function DoInstall()
	{
		global $USER, $APPLICATION;
		if (!$USER->IsAdmin())
		{
			return false;
		}
		try
		{
			$this->InstallDB();
			$this->InstallEvents();
			$this->InstallFiles();
			$installer = $this->installer();
			$installer->registerApplication();
			Settings::saveAppliance('', '', Settings::IDENTITY_FASTCGI, $USER->GetID());
			Settings::saveProxyKey(Random::getString(40, true));
			$GLOBALS['B24BRIDGE_NEW_CREDENTIAL'] = $installer->issueCredential();
		}
		catch (\Throwable $e)
		{
			$this->UnInstallEverything();
			$APPLICATION->ThrowException(Loc::getMessage('B24BRIDGE_INSTALL_FAILED') . ' ' . $e->getMessage());

			return false;
		}
		$APPLICATION->IncludeAdminFile(Loc::getMessage('B24BRIDGE_INSTALL_TITLE'), __DIR__ . '/step.php');

		return true;
	}

	public function DoUninstall()
	{
		global $USER, $APPLICATION;
		if (!$USER->IsAdmin())
		{
			return false;
		}
		$this->UnInstallEverything();
		$APPLICATION->IncludeAdminFile(Loc::getMessage('B24BRIDGE_UNINSTALL_TITLE'), __DIR__ . '/unstep.php');

		return true;
	}

	public function InstallDB()
	{
		RegisterModule($this->MODULE_ID);
		Loader::includeModule($this->MODULE_ID);
		$this->installer()->installDatabase();

		return true;
	}

	public function InstallEvents()
	{
		$this->installer()->registerHandlers();

		return true;
	}

	public function InstallFiles()
	{
		$this->installer()->installFiles();

		return true;
	}

	/** Disarm first (events unbound, tokens revoked), then the application, handlers, files, tables, options. */
	private function UnInstallEverything(): void
	{
		if (!Loader::includeModule($this->MODULE_ID))
		{
			return;
		}
		$installer = $this->installer();
		$installer->disarm();
		$installer->removeApplication();
		$installer->unregisterHandlers();
		$installer->uninstallFiles();
		$installer->uninstallDatabase();
		Settings::deleteAll();
		UnRegisterModule($this->MODULE_ID);
	}

	private function installer(): Installer
	{
		return new Installer(dirname(__DIR__));
	}
}
