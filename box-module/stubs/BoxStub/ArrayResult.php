<?php

declare(strict_types=1);

namespace BoxStub;

use Bitrix\Main\DB\Result;

/** A query result over rows already in hand (the call rows the box emulator behind the module gave). */
final class ArrayResult extends Result
{
	/** @param list<array> $rows */
	public function __construct(private array $rows)
	{
	}

	public function fetch(): array|false
	{
		return array_shift($this->rows) ?? false;
	}
}
