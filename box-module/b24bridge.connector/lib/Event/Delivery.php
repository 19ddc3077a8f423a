<?php

declare(strict_types=1);

namespace B24bridge\Connector\Event;

use B24bridge\Connector\Auth\TokenStore;
use B24bridge\Connector\Http\Endpoints;
use Bitrix\Rest\AppTable;

/**
 * Turns a queued row into what the appliance receives: the keys a handler gets in the form POST of a cloud delivery
 * (event, event_handler_id, data, ts, auth; docs api-reference/events/index.md:64-137), decoded as $_POST would hold
 * them, plus the queue's id (for deduplication and acknowledgement), the attempt number and when it was queued.
 *
 * The auth block is built here, because queue items carry no tokens (sender.php:239-259): for an event caused by a
 * user, with sendAuth, a fresh access token for that user (docs _includes/auth-params-in-events.md:6-33), a refresh
 * token only where the event asks for one (sendRefreshToken: OnAppInstall, rest_provider.php:107-115; not the
 * telephony events, vi_rest.php:146-152); for an event without a user (a website callback form), no token at all
 * (docs events/index.md:147). The application token always comes along (CRestUtil::getApplicationToken).
 */
final class Delivery
{
	public function __construct(private readonly TokenStore $tokens)
	{
	}

	public function item(array $row, array $application): array
	{
		$payload = FormEncoding::decoded([
			'event' => $row['EVENT_NAME'],
			'event_handler_id' => (int)$row['EVENT_HANDLER_ID'],
			'data' => json_decode((string)$row['DATA'], true, 512, JSON_THROW_ON_ERROR),
			'ts' => (int)$row['TS'],
			'auth' => $this->auth($row, $application),
		]);

		return [
			'id' => (int)$row['ID'],
			'attempt' => (int)$row['DELIVERIES'] + 1,
			'queued_at' => gmdate('Y-m-d\TH:i:s', intdiv((int)$row['CREATED_MS'], 1000)) . sprintf('.%03dZ', (int)$row['CREATED_MS'] % 1000),
		] + $payload;
	}

	private function auth(array $row, array $application): array
	{
		$userId = (int)$row['LOCAL_USER'];
		$auth = [];
		if ($userId > 0 && $row['SEND_AUTH'] === 'Y')
		{
			$session = $row['EVENT_SESSION'] === null ? null : (int)$row['EVENT_SESSION'];
			$tokens = $this->tokens->issue($userId, (string)$application['SCOPE'], $session, $row['SEND_REFRESH_TOKEN'] === 'Y');
			$auth['access_token'] = $tokens->accessToken;
			$auth['expires_in'] = $tokens->expiresIn;
			$auth['scope'] = $tokens->scope;
		}
		$auth['domain'] = $row['DOMAIN'];
		$auth['server_endpoint'] = Endpoints::server();
		if (isset($tokens))
		{
			$auth['status'] = AppTable::STATUS_LOCAL;
		}
		$auth['client_endpoint'] = \CRestUtil::getEndpoint();
		$auth['member_id'] = \CRestUtil::getMemberId();
		if (isset($tokens) && $tokens->refreshToken !== null)
		{
			$auth['refresh_token'] = $tokens->refreshToken;
		}
		$auth['application_token'] = \CRestUtil::getApplicationToken($application);

		return $auth;
	}
}
