<?php

declare(strict_types=1);

namespace B24bridge\Connector\Rest;

use Bitrix\Voximplant\Model\CallTable;
use Bitrix\Voximplant\StatisticTable;

/**
 * Finds the application's calls by EXTERNAL_CALL_ID, open (b_voximplant_call, until finish deletes the row) or
 * finished (b_voximplant_statistic, written by finish) – voximplant/lib/rest/helper.php registerExternalCall() and
 * finishExternalCall(). A register whose answer was lost, after an outage of any length, is resolved exactly: the
 * call is there (with its CALL_ID) or it is not. Several calls can share an EXTERNAL_CALL_ID (a register retried more
 * than 30 minutes after CALL_START_DATE makes a second call), so all of them are returned, oldest first.
 */
final class CallLookup
{
	/** @return list<array> */
	public function find(string $externalCallId, int $appId): array
	{
		\B24bridge\Connector\Module::requireBoxModules('voximplant');
		$calls = [];
		$open = CallTable::getList([
			'select' => ['CALL_ID', 'EXTERNAL_CALL_ID', 'USER_ID', 'CALLER_ID', 'INCOMING', 'DATE_CREATE'],
			'filter' => ['=EXTERNAL_CALL_ID' => $externalCallId, '=REST_APP_ID' => $appId],
		]);
		while ($row = $open->fetch())
		{
			$calls[$row['CALL_ID']] = [
				'STATE' => 'OPEN',
				'CALL_ID' => $row['CALL_ID'],
				'EXTERNAL_CALL_ID' => $row['EXTERNAL_CALL_ID'],
				'USER_ID' => (int)$row['USER_ID'],
				'PHONE_NUMBER' => $row['CALLER_ID'],
				'TYPE' => (int)$row['INCOMING'],
				'CALL_START_DATE' => self::iso($row['DATE_CREATE']),
			];
		}
		$finished = StatisticTable::getList([
			'select' => ['CALL_ID', 'EXTERNAL_CALL_ID', 'PORTAL_USER_ID', 'PHONE_NUMBER', 'INCOMING', 'CALL_START_DATE', 'CALL_DURATION',
				'CALL_FAILED_CODE', 'CALL_VOTE', 'CRM_ENTITY_TYPE', 'CRM_ENTITY_ID', 'CRM_ACTIVITY_ID'],
			'filter' => ['=EXTERNAL_CALL_ID' => $externalCallId, '=REST_APP_ID' => $appId],
		]);
		while ($row = $finished->fetch())
		{
			$calls[$row['CALL_ID']] = [
				'STATE' => 'FINISHED',
				'CALL_ID' => $row['CALL_ID'],
				'EXTERNAL_CALL_ID' => $row['EXTERNAL_CALL_ID'],
				'USER_ID' => (int)$row['PORTAL_USER_ID'],
				'PHONE_NUMBER' => $row['PHONE_NUMBER'],
				'TYPE' => (int)$row['INCOMING'],
				'CALL_START_DATE' => self::iso($row['CALL_START_DATE']),
				'DURATION' => (int)$row['CALL_DURATION'],
				'STATUS_CODE' => (string)$row['CALL_FAILED_CODE'],
				'VOTE' => $row['CALL_VOTE'] === null ? null : (int)$row['CALL_VOTE'],
				'CRM_ENTITY_TYPE' => $row['CRM_ENTITY_TYPE'],
				'CRM_ENTITY_ID' => $row['CRM_ENTITY_ID'] === null ? null : (int)$row['CRM_ENTITY_ID'],
				'CRM_ACTIVITY_ID' => $row['CRM_ACTIVITY_ID'] === null ? null : (int)$row['CRM_ACTIVITY_ID'],
			];
		}
		usort($calls, static fn(array $a, array $b): int => [$a['CALL_START_DATE'], $a['CALL_ID']] <=> [$b['CALL_START_DATE'], $b['CALL_ID']]);

		return $calls;
	}

	/** The box's ORM gives Bitrix\Main\Type\DateTime objects; a plain query gives 'Y-m-d H:i:s' in the server's zone. */
	private static function iso(mixed $value): ?string
	{
		if ($value === null || $value === '')
		{
			return null;
		}
		$timestamp = is_object($value) && method_exists($value, 'getTimestamp') ? $value->getTimestamp() : strtotime((string)$value);

		return date('c', $timestamp);
	}
}
