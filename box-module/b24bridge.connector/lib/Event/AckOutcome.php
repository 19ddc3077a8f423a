<?php

declare(strict_types=1);

namespace B24bridge\Connector\Event;

/** What an acknowledgement did: how many events it acknowledged and the acknowledged mark, or why nothing changed. */
final class AckOutcome
{
	private function __construct(
		public readonly ?string $error,
		public readonly string $description,
		public readonly int $acknowledged,
		public readonly int $ackedThrough,
	)
	{
	}

	public static function acknowledged(int $count, int $ackedThrough): self
	{
		return new self(null, '', $count, $ackedThrough);
	}

	public static function refused(string $error, string $description, int $ackedThrough): self
	{
		return new self($error, $description, 0, $ackedThrough);
	}
}
