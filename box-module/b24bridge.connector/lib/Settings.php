<?php

declare(strict_types=1);

namespace B24bridge\Connector;

use Bitrix\Main\Config\Option;

/** What the box administrator set on the options page, read from b_option each time it is needed. */
final class Settings
{
	public const IDENTITY_FASTCGI = 'fastcgi';
	public const IDENTITY_HEADER = 'header';

	public function __construct(
		/** The appliance's address: the handler URL of the bound events and the application's URL. */
		public readonly string $applianceUrl,
		/** Subject DN of the appliance's client certificate as nginx reports it ($ssl_client_s_dn, RFC 2253). */
		public readonly string $applianceDn,
		/** How the verified identity reaches PHP: fastcgi parameters (php-fpm) or headers from a proxying nginx. */
		public readonly string $identitySource,
		/** With identity via headers: the secret nginx adds, which no client can know. */
		public readonly string $proxyKey,
		/** The user the appliance's client-credentials tokens act as. */
		public readonly int $userId,
		public readonly string $credentialHash,
		public readonly bool $armed,
	)
	{
	}

	public static function load(): self
	{
		return new self(
			Option::get(Module::ID, 'appliance_url'),
			Option::get(Module::ID, 'appliance_dn'),
			Option::get(Module::ID, 'identity_source', self::IDENTITY_FASTCGI),
			Option::get(Module::ID, 'proxy_key'),
			(int)Option::get(Module::ID, 'user_id', '0'),
			Option::get(Module::ID, 'credential_hash'),
			Option::get(Module::ID, 'armed', 'N') === 'Y',
		);
	}

	public static function saveAppliance(string $url, string $dn, string $identitySource, int $userId): void
	{
		Option::set(Module::ID, 'appliance_url', $url);
		Option::set(Module::ID, 'appliance_dn', $dn);
		Option::set(Module::ID, 'identity_source', $identitySource);
		Option::set(Module::ID, 'user_id', (string)$userId);
	}

	public static function saveProxyKey(string $key): void
	{
		Option::set(Module::ID, 'proxy_key', $key);
	}

	public static function saveCredentialHash(string $hash): void
	{
		Option::set(Module::ID, 'credential_hash', $hash);
	}

	public static function saveArmed(bool $armed): void
	{
		Option::set(Module::ID, 'armed', $armed ? 'Y' : 'N');
	}

	public static function deleteAll(): void
	{
		Option::delete(Module::ID);
	}
}
