<?php

declare(strict_types=1);

namespace Bitrix\Main;

/** Stub of main/lib/eventresult.php. */
class EventResult
{
	public const UNDEFINED = 0;
	public const SUCCESS = 1;
	public const ERROR = 2;

	public function __construct(private readonly int $type, private readonly mixed $parameters = null, private readonly ?string $moduleId = null)
	{
	}

	public function getType(): int
	{
		return $this->type;
	}

	public function getParameters(): mixed
	{
		return $this->parameters;
	}
}
