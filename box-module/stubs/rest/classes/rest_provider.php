<?php

declare(strict_types=1);

use Bitrix\Rest\AppTable;
use Bitrix\Rest\Sqs;

/**
 * Stub of rest/classes/general/rest_provider.php: the method/event description is the built-in part merged with every
 * rest:OnRestServiceBuildDescription handler's answer by array_merge_recursive (rest_provider.php:178-192), method
 * keys lower-cased (201-218). Built-ins kept: app.info (533-612) and the OnAppInstall event ('rest',
 * 'OnRestAppInstall', OnAppEvent, sendRefreshToken, category important; 107-115).
 */
class CRestProvider
{
	public function getDescription(): array
	{
		$description = [
			CRestUtil::GLOBAL_SCOPE => [
				'app.info' => [self::class, 'appInfo'],
				CRestUtil::EVENTS => [
					'OnAppInstall' => ['rest', 'OnRestAppInstall', [self::class, 'OnAppEvent'], ['sendRefreshToken' => true, 'category' => Sqs::CATEGORY_IMPORTANT]],
				],
			],
		];
		foreach (GetModuleEvents('rest', 'OnRestServiceBuildDescription', true) as $handler)
		{
			$result = ExecuteModuleEventEx($handler);
			if (is_array($result))
			{
				$description = array_merge_recursive($description, $result);
			}
		}
		foreach ($description as $scope => $methods)
		{
			$normalised = [];
			foreach ($methods as $key => $value)
			{
				$normalised[in_array($key, [CRestUtil::EVENTS, CRestUtil::PLACEMENTS], true) ? $key : mb_strtolower((string)$key)] = $value;
			}
			$description[$scope] = $normalised;
		}

		return $description;
	}

	/** OnAppEvent($arParams, $arHandler): only the handler rows of the installed app; APP_ID out, LANGUAGE_ID in (rest_provider.php:865-879). */
	public static function OnAppEvent($arParams, $arHandler): array
	{
		$fields = $arParams[0];
		if ($fields['APP_ID'] == $arHandler['APP_ID'] || $fields['APP_ID'] == $arHandler['APP_CODE'])
		{
			$fields['LANGUAGE_ID'] = CRestUtil::getLanguage();
			unset($fields['APP_ID']);

			return $fields;
		}
		throw new Exception('Wrong app!');
	}

	/** app.info: needs application context (rest_provider.php:533-612). */
	public static function appInfo($params, $n, CRestServer $server): array
	{
		$app = $server->getClientId() !== null ? AppTable::getByClientId($server->getClientId()) : false;
		if (!$app)
		{
			throw new \Bitrix\Rest\AccessException('Application context required');
		}

		return ['ID' => (int)$app['ID'], 'CODE' => $app['CODE'], 'VERSION' => (int)$app['VERSION'], 'STATUS' => $app['STATUS'],
			'INSTALLED' => $app['INSTALLED'] === 'Y', 'PAYMENT_EXPIRED' => 'N', 'DAYS' => null,
			'LANGUAGE_ID' => CRestUtil::getLanguage(), 'LICENSE' => CRestUtil::getLanguage() . '_selfhosted'];
	}
}
