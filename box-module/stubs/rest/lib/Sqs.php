<?php

declare(strict_types=1);

namespace Bitrix\Rest;

/**
 * Stub of rest/lib/sqs.php: queryItem($clientId, $url, $data, $authData = [], $additional = []) builds the queue item
 * the event provider receives (sqs.php:18-30); DOMAIN is the current request's host (sqs.php:25).
 */
class Sqs
{
	public const CATEGORY_DEFAULT = 'default';
	public const CATEGORY_IMPORTANT = 'important';
	public const CATEGORY_TELEPHONY = 'telephony';

	public static function queryItem($clientId, $url, $data, array $authData = [], array $additional = []): array
	{
		return [
			'client_id' => $clientId,
			'additional' => $additional,
			'auth' => $authData,
			'query' => [
				'DOMAIN' => \Bitrix\Main\Context::getCurrent()->getRequest()->getHttpHost(),
				'QUERY_URL' => $url,
				'QUERY_DATA' => $data,
			],
		];
	}
}
