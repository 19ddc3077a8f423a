<?php

declare(strict_types=1);

namespace Bitrix\Voximplant\Rest;

use Bitrix\Main\Config\Option;
use Bitrix\Main\Event;
use Bitrix\Main\Type\DateTime;
use Bitrix\Voximplant\Model\CallTable;
use Bitrix\Voximplant\StatisticTable;

/**
 * Stub of voximplant/lib/rest/helper.php: only what the module touches. The CRM side of a call (search, leads,
 * activities) belongs to the Java box emulator and is not modelled here.
 *  - registerExternalCall(): phone after stripLetters, active user, the same call found again within 30 min of
 *    DATE_CREATE by USER_ID, CALLER_ID, INCOMING, REST_APP_ID and EXTERNAL_CALL_ID when given (the duplicate filter),
 *    else a new row with CALL_ID externalCall.<md5>.<time>;
 *  - finishExternalCall(): 'Call is not found (call should be registered prior to finishing' (no closing
 *    parenthesis in the source), statistic row with CALL_STATUS = DURATION > 0, STATUS_CODE 200/304 by default, and
 *    the open call gone;
 *  - startCall() (helper.php:884-961): the user's outgoing line must be a REST pseudo-line REST_APP:<app id>
 *    (here option voximplant/portal_number, the portal default), else LINE_NOT_FOUND; the box registers the call
 *    (TYPE 1, no EXTERNAL_CALL_ID) and only then raises onExternalCallStart with APP_ID and the data of
 *    helper.php:919-950;
 *  - startCallBack() (helper.php:968-986): onExternalCallBackStart with APP_ID, PHONE_NUMBER, TEXT, VOICE,
 *    CRM_ENTITY_TYPE, CRM_ENTITY_ID, LINE_NUMBER (helper.php:970-978); no call is registered.
 */
class Helper
{
	public const EVENT_START_EXTERNAL_CALL = 'OnExternalCallStart';
	public const EVENT_START_EXTERNAL_CALLBACK = 'OnExternalCallBackStart';

	/** @return array{0: ?array, 1: ?string} [data, error] */
	public static function registerExternalCall(array $fields): array
	{
		if (\BoxStub\Behind::enabled())
		{
			return self::behind('telephony.externalcall.register', $fields);
		}
		$phone = preg_replace('/[^\d+#*]/', '', (string)($fields['PHONE_NUMBER'] ?? ''));
		if ($phone === '')
		{
			return [null, 'Unsupported phone number format'];
		}
		$userId = (int)($fields['USER_ID'] ?? 0);
		if (\Bitrix\Main\Application::getConnection()->query("SELECT ID FROM b_user WHERE ACTIVE='Y' AND ID=" . $userId)->fetch() === false)
		{
			return [null, 'User is not found or is not active'];
		}
		$filter = ['=USER_ID' => $userId, '=CALLER_ID' => $phone, '=INCOMING' => (int)$fields['TYPE'],
			'>DATE_CREATE' => (new DateTime())->add('-T30M'), '=REST_APP_ID' => $fields['REST_APP_ID']];
		if (isset($fields['EXTERNAL_CALL_ID']))
		{
			$filter['=EXTERNAL_CALL_ID'] = $fields['EXTERNAL_CALL_ID'];
		}
		$existing = CallTable::getRow(['filter' => $filter]);
		if ($existing !== null)
		{
			return [self::registerAnswer($existing['CALL_ID']), null];
		}
		$callId = 'externalCall.' . md5(uniqid($fields['REST_APP_ID'] . $userId . $phone, true)) . '.' . time();
		CallTable::add([
			'CALL_ID' => $callId,
			'EXTERNAL_CALL_ID' => $fields['EXTERNAL_CALL_ID'] ?? null,
			'USER_ID' => $userId,
			'CALLER_ID' => $phone,
			'INCOMING' => (int)$fields['TYPE'],
			'DATE_CREATE' => isset($fields['CALL_START_DATE']) && $fields['CALL_START_DATE'] !== '' ? new DateTime($fields['CALL_START_DATE']) : new DateTime(),
			'REST_APP_ID' => $fields['REST_APP_ID'],
			'PORTAL_NUMBER' => ($fields['LINE_NUMBER'] ?? '') !== '' ? $fields['LINE_NUMBER'] : 'REST_APP:' . $fields['REST_APP_ID'],
		]);

		return [self::registerAnswer($callId), null];
	}

	/** @return array{0: ?array, 1: ?string} [statistic record, error] */
	public static function finishExternalCall(array $fields): array
	{
		if (!is_string($fields['CALL_ID'] ?? null))
		{
			return [null, 'CALL_ID must be a string'];
		}
		$call = CallTable::getRow(['filter' => ['=CALL_ID' => $fields['CALL_ID']]]);
		if ($call === null)
		{
			return [null, 'Call is not found (call should be registered prior to finishing'];
		}
		$duration = (int)($fields['DURATION'] ?? 0);
		$record = [
			'CALL_ID' => $call['CALL_ID'],
			'EXTERNAL_CALL_ID' => $call['EXTERNAL_CALL_ID'],
			'PORTAL_USER_ID' => isset($fields['USER_ID']) ? (int)$fields['USER_ID'] : (int)$call['USER_ID'],
			'PHONE_NUMBER' => $call['CALLER_ID'],
			'PORTAL_NUMBER' => $call['PORTAL_NUMBER'],
			'INCOMING' => (int)$call['INCOMING'],
			'CALL_DURATION' => $duration,
			'CALL_START_DATE' => $call['DATE_CREATE'],
			'CALL_STATUS' => $duration > 0 ? 1 : 0,
			'CALL_VOTE' => isset($fields['VOTE']) ? (int)$fields['VOTE'] : null,
			'CALL_FAILED_CODE' => ($fields['STATUS_CODE'] ?? '') !== '' ? (string)$fields['STATUS_CODE'] : ($duration > 0 ? '200' : '304'),
			'REST_APP_ID' => (int)$call['REST_APP_ID'],
		];
		$record['ID'] = StatisticTable::add($record)->getId();
		CallTable::delete((int)$call['ID']);

		return [$record, null];
	}

	/** @return ?string an error code, null when the event was raised */
	public static function startCall(string $number, int $userId, string $lineId = '', array $parameters = []): ?string
	{
		$line = $lineId !== '' ? $lineId : Option::get('voximplant', 'portal_number', '');
		if (!str_starts_with($line, 'REST_APP:'))
		{
			return 'LINE_NOT_FOUND';
		}
		$appId = (int)substr($line, strlen('REST_APP:'));
		[$registration, $error] = self::registerExternalCall(['USER_ID' => $userId, 'PHONE_NUMBER' => $number, 'TYPE' => 1, 'REST_APP_ID' => $appId]);
		if ($error !== null)
		{
			return $error;
		}
		$digits = preg_replace('/\D/', '', $number);
		(new Event('voximplant', 'onExternalCallStart', [
			'APP_ID' => $appId,
			'PHONE_NUMBER' => $number,
			'PHONE_NUMBER_INTERNATIONAL' => '+' . (strlen($digits) === 11 && $digits[0] === '8' ? '7' . substr($digits, 1) : $digits),
			'EXTENSION' => str_contains($number, '#') ? substr($number, strpos($number, '#') + 1) : '',
			'USER_ID' => $userId,
			'CALL_LIST_ID' => (int)($parameters['CALL_LIST_ID'] ?? 0),
			'LINE_NUMBER' => '',
			'IS_MOBILE' => (bool)($parameters['IS_MOBILE'] ?? false),
			'CALL_ID' => $registration['CALL_ID'],
			'CRM_ENTITY_TYPE' => $parameters['ENTITY_TYPE'] ?? '',
			'CRM_ENTITY_ID' => isset($parameters['ENTITY_ID']) ? (int)$parameters['ENTITY_ID'] : null,
			'CRM_CREATED_LEAD' => null,
			'CRM_CREATED_ENTITIES' => [],
		]))->send();

		return null;
	}

	public static function startCallBack(array $parameters): void
	{
		(new Event('voximplant', 'onExternalCallBackStart', [
			'APP_ID' => $parameters['APP_ID'],
			'PHONE_NUMBER' => $parameters['PHONE_NUMBER'],
			'TEXT' => $parameters['TEXT'] ?? '',
			'VOICE' => $parameters['VOICE'] ?? '',
			'CRM_ENTITY_TYPE' => $parameters['CRM_ENTITY_TYPE'] ?? '',
			'CRM_ENTITY_ID' => $parameters['CRM_ENTITY_ID'] ?? null,
			'LINE_NUMBER' => $parameters['LINE_NUMBER'] ?? '',
		]))->send();
	}

	/**
	 * Served behind the module, the box's calls live in the Java box emulator: the box registers there, as the
	 * application whose REST_APP_ID the call gets.
	 *
	 * @return array{0: ?array, 1: ?string} [data, error]
	 */
	private static function behind(string $method, array $fields): array
	{
		$app = \Bitrix\Rest\AppTable::getById((int)($fields['REST_APP_ID'] ?? 0))->fetch();
		unset($fields['REST_APP_ID']);
		[$status, $body] = \BoxStub\Behind::rest($method, $fields, ['auth_type' => 'oauth',
			'client_id' => is_array($app) ? $app['CLIENT_ID'] : '', 'user_id' => (int)($fields['USER_ID'] ?? 0),
			'scope' => 'telephony']);

		return $status === 200 ? [$body['result'], null] : [null, (string)($body['error_description'] ?? 'error')];
	}

	private static function registerAnswer(string $callId): array
	{
		return ['CALL_ID' => $callId, 'CRM_CREATED_LEAD' => null, 'CRM_CREATED_ENTITIES' => [], 'CRM_ENTITY_TYPE' => '', 'CRM_ENTITY_ID' => null];
	}
}
