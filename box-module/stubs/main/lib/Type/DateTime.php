<?php

declare(strict_types=1);

namespace Bitrix\Main\Type;

/** Stub of main/lib/type/datetime.php, reduced to what the stubs use: a moment, its timestamp, its SQL form. */
class DateTime
{
	private \DateTimeImmutable $value;

	public function __construct(?string $time = null)
	{
		$this->value = new \DateTimeImmutable($time ?? 'now');
	}

	public static function createFromTimestamp(int $timestamp): static
	{
		return new static('@' . $timestamp);
	}

	public function getTimestamp(): int
	{
		return $this->value->getTimestamp();
	}

	/** add('-T30M') as main/lib/type/date.php add(): an ISO 8601 duration, '-' for the past. */
	public function add(string $interval): static
	{
		$negative = str_starts_with($interval, '-');
		$spec = 'P' . ltrim($interval, '-');
		$duration = new \DateInterval($spec);
		$this->value = $negative ? $this->value->sub($duration) : $this->value->add($duration);

		return $this;
	}

	public function toSql(): string
	{
		return $this->value->setTimezone(new \DateTimeZone(date_default_timezone_get()))->format('Y-m-d H:i:s');
	}

	public function __toString(): string
	{
		return $this->toSql();
	}
}
