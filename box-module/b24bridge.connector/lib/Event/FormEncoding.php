<?php

declare(strict_types=1);

namespace B24bridge\Connector\Event;

/**
 * A handler on the cloud path receives the event as application/x-www-form-urlencoded, built by http_build_query()
 * (rest/lib/event/sender.php → HttpClient, main/lib/web/http/formstream.php:15-18): nulls and empty arrays vanish,
 * booleans become 1/0, numbers become strings. The module delivers exactly the map PHP's $_POST would hold for that
 * body, so the appliance reads one shape whichever path an event took.
 */
final class FormEncoding
{
	public static function decoded(array $values): array
	{
		$decoded = [];
		parse_str(http_build_query($values, '', '&'), $decoded);

		return $decoded;
	}
}
