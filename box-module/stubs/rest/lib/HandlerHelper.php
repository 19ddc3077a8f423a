<?php

declare(strict_types=1);

namespace Bitrix\Rest;

/**
 * Stub of rest/lib/handlerhelper.php checkCallback($handlerUrl, $appInfo = [], $checkInstallUrl = true): the URL must
 * parse, scheme http or https, host containing a dot (handlerhelper.php:31-51); else RestException
 * ERROR_WRONG_HANDLER_URL. So http://10.0.0.5/... passes, http://appliance/... and http://localhost/... do not.
 */
class HandlerHelper
{
	public const ERROR_WRONG_HANDLER_URL = 'ERROR_WRONG_HANDLER_URL';

	public static function checkCallback($handlerUrl, $appInfo = [], $checkInstallUrl = true): bool
	{
		$parts = parse_url((string)$handlerUrl);
		if (
			!is_array($parts)
			|| !in_array(strtolower($parts['scheme'] ?? ''), ['http', 'https'], true)
			|| !str_contains($parts['host'] ?? '', '.')
		)
		{
			throw new RestException('Wrong handler URL', self::ERROR_WRONG_HANDLER_URL);
		}

		return true;
	}
}
