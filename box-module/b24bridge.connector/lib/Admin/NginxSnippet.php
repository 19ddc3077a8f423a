<?php

declare(strict_types=1);

namespace B24bridge\Connector\Admin;

use B24bridge\Connector\Auth\ApplianceIdentity;
use B24bridge\Connector\Settings;

/** The lines the box's nginx needs inside the appliance's mutual-TLS server block, for the chosen identity source. */
final class NginxSnippet
{
	public static function forSettings(Settings $settings): string
	{
		$common = "ssl_client_certificate /etc/nginx/b24bridge/appliance-ca.pem;\nssl_verify_client on;\nclient_max_body_size 64m;\n";
		if ($settings->identitySource === Settings::IDENTITY_HEADER)
		{
			return $common
				. 'proxy_set_header ' . self::header(ApplianceIdentity::HEADER_VERIFY) . " \$ssl_client_verify;\n"
				. 'proxy_set_header ' . self::header(ApplianceIdentity::HEADER_DN) . " \$ssl_client_s_dn;\n"
				. 'proxy_set_header ' . self::header(ApplianceIdentity::HEADER_PROXY_KEY) . ' "' . $settings->proxyKey . "\";\n";
		}

		return $common
			. 'fastcgi_param ' . ApplianceIdentity::FASTCGI_VERIFY . " \$ssl_client_verify;\n"
			. 'fastcgi_param ' . ApplianceIdentity::FASTCGI_DN . " \$ssl_client_s_dn;\n";
	}

	/** HTTP_X_B24BRIDGE_CLIENT_DN → X-B24bridge-Client-Dn */
	private static function header(string $serverVariable): string
	{
		$words = explode('_', strtolower(substr($serverVariable, strlen('HTTP_'))));

		return implode('-', array_map('ucfirst', $words));
	}
}
