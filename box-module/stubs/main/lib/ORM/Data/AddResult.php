<?php

declare(strict_types=1);

namespace Bitrix\Main\ORM\Data;

/** Stub of main/lib/orm/data/addresult.php: a successful add with its id (a failing INSERT throws in the stub). */
class AddResult
{
	public function __construct(private readonly int $id)
	{
	}

	public function getId(): int
	{
		return $this->id;
	}

	public function isSuccess(): bool
	{
		return true;
	}

	/** @return list<string> */
	public function getErrorMessages(): array
	{
		return [];
	}
}
