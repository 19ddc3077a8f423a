<?php

declare(strict_types=1);

namespace Bitrix\Rest;

/** Stub of rest/lib/accessexception.php: ACCESS_DENIED, "Access denied! <msg>", 403. */
class AccessException extends RestException
{
	public const MESSAGE = 'Access denied!';
	public const CODE = 'ACCESS_DENIED';

	public function __construct($msg = '', $code = 0, ?\Exception $previous = null)
	{
		parent::__construct(static::MESSAGE . ($msg === '' ? '' : ' ' . $msg), static::CODE, \CRestServer::STATUS_FORBIDDEN, $previous);
	}
}
