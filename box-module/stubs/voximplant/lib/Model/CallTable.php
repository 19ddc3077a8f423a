<?php

declare(strict_types=1);

namespace Bitrix\Voximplant\Model;

use Bitrix\Main\ORM\Data\DataManager;

/**
 * Stub of Bitrix\Voximplant\Model\CallTable (b_voximplant_call): the open calls. Registration writes CALL_ID,
 * EXTERNAL_CALL_ID, USER_ID, CALLER_ID, INCOMING, DATE_CREATE (:= CALL_START_DATE), REST_APP_ID, PORTAL_NUMBER
 * (voximplant/lib/rest/helper.php registerExternalCall(), $callFields); finish deletes the row.
 */
class CallTable extends DataManager
{
	public static function getTableName(): string
	{
		return 'b_voximplant_call';
	}

	public static function getList(array $parameters = []): \Bitrix\Main\DB\Result
	{
		// served behind the module, the box's calls live in the Java box emulator
		return \BoxStub\Behind::enabled() ? \BoxStub\Behind::callRows('open', $parameters) : parent::getList($parameters);
	}

	public static function getMap(): array
	{
		return ['ID', 'CALL_ID', 'EXTERNAL_CALL_ID', 'USER_ID', 'CALLER_ID', 'INCOMING', 'DATE_CREATE', 'REST_APP_ID', 'PORTAL_NUMBER'];
	}
}
