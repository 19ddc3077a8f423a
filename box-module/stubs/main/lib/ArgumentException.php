<?php

declare(strict_types=1);

namespace Bitrix\Main;

/** Stub of main/lib/argumentexception.php: the box's REST server maps it to ERROR_ARGUMENT 400 (rest.php:860-891). */
class ArgumentException extends SystemException
{
	public function __construct(string $message = '', private readonly string $parameter = '')
	{
		parent::__construct($message);
	}

	public function getParameter(): string
	{
		return $this->parameter;
	}
}
