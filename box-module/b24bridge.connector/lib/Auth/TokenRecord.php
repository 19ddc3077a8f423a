<?php

declare(strict_types=1);

namespace B24bridge\Connector\Auth;

/** What a stored token grants: a user, a scope, until when, and the event-loop counter of the event it came with. */
final class TokenRecord
{
	public function __construct(
		public readonly int $userId,
		public readonly string $scope,
		public readonly int $expires,
		public readonly ?int $eventSession,
	)
	{
	}
}
