<?php

declare(strict_types=1);

namespace Bitrix\Rest;

/**
 * Stub of rest/lib/oauthexception.php: built from an auth handler's $res: error code $res['error'], text
 * $res['error_description'], HTTP status $res['error_status'] or 401, plus $res['additional'] (oauthexception.php:14-36).
 */
class OAuthException extends RestException
{
	public function __construct(private readonly array $oauthResult, ?\Exception $previous = null)
	{
		parent::__construct(
			(string)($oauthResult['error_description'] ?? ''),
			(string)($oauthResult['error'] ?? ''),
			$oauthResult['error_status'] ?? \CRestServer::STATUS_UNAUTHORIZED,
			$previous,
		);
		if (isset($oauthResult['additional']) && is_array($oauthResult['additional']))
		{
			$this->setAdditional($oauthResult['additional']);
		}
	}
}
