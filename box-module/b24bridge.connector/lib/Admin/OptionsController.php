<?php

declare(strict_types=1);

namespace B24bridge\Connector\Admin;

use B24bridge\Connector\Event\EventQueue;
use B24bridge\Connector\Install\ArmingRefused;
use B24bridge\Connector\Install\Installer;
use B24bridge\Connector\Settings;
use B24bridge\Connector\Status;
use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/**
 * The options page's actions for the box administrator: save the appliance's address, certificate subject, identity
 * source and acting user; arm (bind the events, install the application, which queues the install event); disarm;
 * issue a new credential (shown once). Every change needs the module's write right and the form's sessid.
 */
final class OptionsController
{
	public function __construct(private readonly Installer $installer)
	{
	}

	public function handle(array $request, string $method, string $right): OptionsView
	{
		$errors = [];
		$notes = [];
		$credential = null;
		$action = (string)($request['action'] ?? '');
		if ($method === 'POST' && $action !== '')
		{
			if ($right < 'W' || !check_bitrix_sessid())
			{
				$errors[] = Loc::getMessage('B24BRIDGE_OPT_DENIED');
			}
			else
			{
				$credential = $this->act($action, $request, $errors, $notes);
			}
		}
		$settings = Settings::load();

		return new OptionsView($settings, Status::describe($settings, new EventQueue()), $errors, $notes, $credential, NginxSnippet::forSettings($settings));
	}

	private function act(string $action, array $request, array &$errors, array &$notes): ?string
	{
		switch ($action)
		{
			case 'save':
				$source = ($request['identity_source'] ?? '') === Settings::IDENTITY_HEADER ? Settings::IDENTITY_HEADER : Settings::IDENTITY_FASTCGI;
				Settings::saveAppliance(trim((string)($request['appliance_url'] ?? '')), trim((string)($request['appliance_dn'] ?? '')), $source, (int)($request['user_id'] ?? 0));
				$notes[] = Loc::getMessage('B24BRIDGE_OPT_SAVED');

				return null;
			case 'arm':
				try
				{
					$this->installer->arm();
					$notes[] = Loc::getMessage('B24BRIDGE_OPT_ARMED');
				}
				catch (ArmingRefused $e)
				{
					array_push($errors, ...$e->problems);
				}

				return null;
			case 'disarm':
				$this->installer->disarm();
				$notes[] = Loc::getMessage('B24BRIDGE_OPT_DISARMED');

				return null;
			case 'credential':
				$notes[] = Loc::getMessage('B24BRIDGE_OPT_NEW_CREDENTIAL');

				return $this->installer->issueCredential();
			default:
				$errors[] = Loc::getMessage('B24BRIDGE_OPT_UNKNOWN_ACTION');

				return null;
		}
	}
}
