<?php

declare(strict_types=1);

namespace Bitrix\Rest;

/**
 * Stub of rest/lib/restexception.php: __construct($message, $code = '', $status = 0, $previous = null); the status is
 * a CRestServer status line, 0 meaning "400 Bad Request"; the answer is {"error": code, "error_description":
 * message} + additional (restexception.php:5-122).
 */
class RestException extends \Exception
{
	public const ERROR_OAUTH = 'ERROR_OAUTH';
	public const ERROR_METHOD_NOT_FOUND = 'ERROR_METHOD_NOT_FOUND';
	public const ERROR_CORE = 'ERROR_CORE';
	public const ERROR_ARGUMENT = 'ERROR_ARGUMENT';
	public const ERROR_NOT_FOUND = 'ERROR_NOT_FOUND';

	protected string $errorCode;
	protected string $status;
	protected array $additional = [];

	public function __construct($message, $code = '', $status = 0, ?\Exception $previous = null)
	{
		parent::__construct((string)$message, 0, $previous);
		$this->errorCode = (string)$code;
		$this->status = $status === 0 || $status === '' ? \CRestServer::STATUS_WRONG_REQUEST : (string)$status;
	}

	public function getErrorCode(): string
	{
		return $this->errorCode;
	}

	public function getStatus(): string
	{
		return $this->status;
	}

	public function getAdditional(): array
	{
		return $this->additional;
	}

	public function setAdditional(array $additional): void
	{
		$this->additional = $additional;
	}

	public function output(): array
	{
		return array_merge(['error' => $this->getErrorCode(), 'error_description' => $this->getMessage()], $this->additional);
	}
}
