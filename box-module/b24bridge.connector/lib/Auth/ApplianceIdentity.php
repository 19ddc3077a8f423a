<?php

declare(strict_types=1);

namespace B24bridge\Connector\Auth;

use B24bridge\Connector\Refusal;
use B24bridge\Connector\Settings;

/**
 * Is this request the appliance's, over its mutual-TLS connection? nginx verifies the client certificate
 * (ssl_verify_client on) and hands the result to PHP; the module compares the verified subject with the one the
 * administrator entered.
 *
 * Two ways in, chosen on the options page:
 *  - fastcgi (nginx + php-fpm): fastcgi_param B24BRIDGE_CLIENT_VERIFY $ssl_client_verify and B24BRIDGE_CLIENT_DN
 *    $ssl_client_s_dn. These are server variables, not HTTP headers, so no client can send them.
 *  - header (nginx proxying to Apache, as on BitrixVM): X-B24bridge-Client-Verify / -Dn plus X-B24bridge-Proxy-Key,
 *    a secret written into the nginx configuration; a client that forges the first two cannot know the key.
 */
final class ApplianceIdentity
{
	public const FASTCGI_VERIFY = 'B24BRIDGE_CLIENT_VERIFY';
	public const FASTCGI_DN = 'B24BRIDGE_CLIENT_DN';
	public const HEADER_VERIFY = 'HTTP_X_B24BRIDGE_CLIENT_VERIFY';
	public const HEADER_DN = 'HTTP_X_B24BRIDGE_CLIENT_DN';
	public const HEADER_PROXY_KEY = 'HTTP_X_B24BRIDGE_PROXY_KEY';

	/** @return ?Refusal null when the request carries the appliance's verified certificate */
	public static function check(array $server, Settings $settings): ?Refusal
	{
		if ($settings->identitySource === Settings::IDENTITY_HEADER)
		{
			$key = (string)($server[self::HEADER_PROXY_KEY] ?? '');
			if ($settings->proxyKey === '' || !hash_equals($settings->proxyKey, $key))
			{
				return self::noCertificate();
			}
			$verify = (string)($server[self::HEADER_VERIFY] ?? '');
			$dn = (string)($server[self::HEADER_DN] ?? '');
		}
		else
		{
			$verify = (string)($server[self::FASTCGI_VERIFY] ?? '');
			$dn = (string)($server[self::FASTCGI_DN] ?? '');
		}
		if ($verify !== 'SUCCESS' || $dn === '')
		{
			return self::noCertificate();
		}
		if ($settings->applianceDn === '' || !hash_equals($settings->applianceDn, trim($dn)))
		{
			return new Refusal(
				'CLIENT_CERTIFICATE_REFUSED',
				'The client certificate is valid but is not the appliance\'s (its subject differs from the one set in the b24bridge module options)',
				403,
			);
		}

		return null;
	}

	private static function noCertificate(): Refusal
	{
		return new Refusal(
			'CLIENT_CERTIFICATE_REQUIRED',
			'The b24bridge module answers only over the appliance\'s mutual-TLS connection: no verified client certificate came with this request',
			403,
		);
	}
}
