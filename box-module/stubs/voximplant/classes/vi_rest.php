<?php

declare(strict_types=1);

use Bitrix\Rest\AuthTypeException;
use Bitrix\Rest\OAuth;
use Bitrix\Rest\RestException;
use Bitrix\Rest\Sqs;
use Bitrix\Voximplant\Rest\Helper;

/**
 * Stub of voximplant/classes/general/vi_rest.php (CVoxImplantRestService), what the module relies on:
 *  - register and finish accept only auth types oauth and apauth, everything else is WRONG_AUTH_TYPE 403
 *    (vi_rest.php:1613-1616, 1717): the module's tokens must come back as 'oauth';
 *  - the application is the one of getClientId() (AppTable::getByClientId, REST_APP_ID of the call);
 *  - errors of the helper are RestExceptions without a code (HTTP 400, "error": "");
 *  - OnExternalCallStart / OnExternalCallBackStart are declared with filterApp and category telephony
 *    (vi_rest.php:146-152); filterApp passes the data only to the handler rows of the app that owns the line,
 *    without APP_ID, and throws 'Wrong app!' for the others (vi_rest.php:2112-2157).
 */
class CVoxImplantRestService
{
	public static function OnRestServiceBuildDescription(): array
	{
		return [
			'telephony' => [
				'telephony.externalcall.register' => [__CLASS__, 'registerExternalCall'],
				'telephony.externalcall.finish' => [__CLASS__, 'finishExternalCall'],
				CRestUtil::EVENTS => [
					'OnExternalCallStart' => ['voximplant', 'onExternalCallStart', [__CLASS__, 'filterApp'], ['category' => Sqs::CATEGORY_TELEPHONY]],
					'OnExternalCallBackStart' => ['voximplant', 'onExternalCallBackStart', [__CLASS__, 'filterApp'], ['category' => Sqs::CATEGORY_TELEPHONY]],
				],
			],
		];
	}

	public static function registerExternalCall($params, $n, $server)
	{
		self::requireApplicationOrWebhook($server);
		$row = \Bitrix\Rest\AppTable::getByClientId($server->getClientId());
		$params['REST_APP_ID'] = $row ? (int)$row['ID'] : null;
		[$data, $error] = Helper::registerExternalCall($params);
		if ($error !== null)
		{
			throw new RestException($error);
		}

		return $data;
	}

	public static function finishExternalCall($params, $n, $server)
	{
		self::requireApplicationOrWebhook($server);
		[$record, $error] = Helper::finishExternalCall($params);
		if ($error !== null)
		{
			throw new RestException($error);
		}

		return $record;
	}

	public static function filterApp($arParams, $arHandler)
	{
		$eventData = $arParams[0]->getParameters();
		if ($eventData['APP_ID'] == $arHandler['APP_ID'])
		{
			unset($eventData['APP_ID']);

			return $eventData;
		}
		throw new Exception('Wrong app!');
	}

	private static function requireApplicationOrWebhook(CRestServer $server): void
	{
		if ($server->getAuthType() !== OAuth\Auth::AUTH_TYPE && $server->getAuthType() !== 'apauth')
		{
			throw new AuthTypeException();
		}
	}
}
