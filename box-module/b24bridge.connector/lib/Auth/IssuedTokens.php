<?php

declare(strict_types=1);

namespace B24bridge\Connector\Auth;

/** A freshly issued access token, with its refresh token when one was asked for. Only here in clear, never stored. */
final class IssuedTokens
{
	public function __construct(
		public readonly string $accessToken,
		public readonly ?string $refreshToken,
		public readonly int $expires,
		public readonly int $expiresIn,
		public readonly int $userId,
		public readonly string $scope,
	)
	{
	}
}
