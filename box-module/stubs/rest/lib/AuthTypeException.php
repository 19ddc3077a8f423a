<?php

declare(strict_types=1);

namespace Bitrix\Rest;

/** Stub of rest/lib/authtypeexception.php: WRONG_AUTH_TYPE "Current authorization type is denied for this method", 403. */
class AuthTypeException extends AccessException
{
	public const MESSAGE = 'Current authorization type is denied for this method';
	public const CODE = 'WRONG_AUTH_TYPE';

	public function __construct($msg = '', $code = 0, ?\Exception $previous = null)
	{
		RestException::__construct(static::MESSAGE . ($msg === '' ? '' : ' ' . $msg), static::CODE, \CRestServer::STATUS_FORBIDDEN, $previous);
	}
}
