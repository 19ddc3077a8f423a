<?php

declare(strict_types=1);

namespace B24bridge\Connector\Http;

use B24bridge\Connector\Module;

/** URLs the module names in its answers, built on the host and scheme of the current request. */
final class Endpoints
{
	/** Where tokens are renewed: the module's services folder, as auth[server_endpoint] names the OAuth server's. */
	public static function server(): string
	{
		$request = \Bitrix\Main\Context::getCurrent()->getRequest();

		return ($request->isHttps() ? 'https' : 'http') . '://' . $request->getHttpHost() . Module::SERVICES_DIR . '/';
	}
}
