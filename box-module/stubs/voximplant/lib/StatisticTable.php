<?php

declare(strict_types=1);

namespace Bitrix\Voximplant;

use Bitrix\Main\ORM\Data\DataManager;

/**
 * Stub of Bitrix\Voximplant\StatisticTable (b_voximplant_statistic, voximplant/lib/statistic.php): the finished
 * calls, one row per telephony.externalcall.finish ($statisticRecord in helper.php finishExternalCall()).
 */
class StatisticTable extends DataManager
{
	public static function getTableName(): string
	{
		return 'b_voximplant_statistic';
	}

	public static function getList(array $parameters = []): \Bitrix\Main\DB\Result
	{
		// served behind the module, the box's calls live in the Java box emulator
		return \BoxStub\Behind::enabled() ? \BoxStub\Behind::callRows('finished', $parameters) : parent::getList($parameters);
	}

	public static function getMap(): array
	{
		return ['ID', 'CALL_ID', 'EXTERNAL_CALL_ID', 'PORTAL_USER_ID', 'PHONE_NUMBER', 'PORTAL_NUMBER', 'INCOMING', 'CALL_DURATION',
			'CALL_START_DATE', 'CALL_STATUS', 'CALL_VOTE', 'CALL_FAILED_CODE', 'CALL_FAILED_REASON', 'REST_APP_ID',
			'CRM_ENTITY_TYPE', 'CRM_ENTITY_ID', 'CRM_ACTIVITY_ID'];
	}
}
