<?php

declare(strict_types=1);

namespace B24bridge\Connector\Auth;

/**
 * The appliance's second factor next to its certificate: issued once, shown once to the administrator, kept only as a
 * password_hash(). The appliance presents it as client_secret at the token endpoint.
 */
final class Credential
{
	public const PREFIX = 'b24bc.';

	public static function issue(): string
	{
		return self::PREFIX . rtrim(strtr(base64_encode(random_bytes(32)), '+/', '-_'), '=');
	}

	public static function hash(string $credential): string
	{
		return password_hash($credential, PASSWORD_DEFAULT);
	}

	public static function matches(string $given, string $hash): bool
	{
		return $hash !== '' && $given !== '' && password_verify($given, $hash);
	}
}
