<?php

declare(strict_types=1);

namespace B24bridge\Connector\Http;

use B24bridge\Connector\Auth\ApplianceIdentity;
use B24bridge\Connector\Auth\Credential;
use B24bridge\Connector\Auth\IssuedTokens;
use B24bridge\Connector\Auth\TokenStore;
use B24bridge\Connector\Module;
use B24bridge\Connector\Refusal;
use B24bridge\Connector\Settings;
use Bitrix\Rest\AppTable;

/**
 * The token endpoint on the box (/bitrix/services/b24bridge.connector/token.php), in place of the OAuth server's
 * /oauth/token/: the same form parameters and the same answer keys, so a client that refreshes at a Bitrix24 OAuth
 * server only needs its token URL changed.
 *
 *   POST grant_type=client_credentials&client_id=<id>&client_secret=<credential>      → a new pair
 *   POST grant_type=refresh_token&client_id=<id>&client_secret=<credential>&refresh_token=<token> → a new pair;
 *        the refresh token is used up
 *
 * Every request must come over the appliance's mutual-TLS connection and carry the credential the module issued;
 * refusals change nothing.
 */
final class TokenEndpoint
{
	public const MAX_BODY_BYTES = 8192;

	public static function serve(): void
	{
		$input = (string)file_get_contents('php://input', false, null, 0, self::MAX_BODY_BYTES + 1);
		$form = [];
		parse_str($input, $form);
		(new self())->handle($_SERVER, $form, strlen($input))->send();
	}

	public function handle(array $server, array $form, int $bodyLength): JsonResponse
	{
		$refusal = $this->refusal($server, $form, $bodyLength);
		if ($refusal !== null)
		{
			return new JsonResponse($refusal->httpStatus, $refusal->toJson());
		}
		$settings = Settings::load();
		$store = new TokenStore();
		if ($form['grant_type'] === 'client_credentials')
		{
			return $this->answer($store->issue($settings->userId, Module::scope(), null, true));
		}
		$record = $store->redeemRefresh((string)($form['refresh_token'] ?? ''));
		if ($record === null)
		{
			return self::refused(new Refusal('invalid_grant', 'The refresh token is unknown, expired or already used', 400));
		}

		return $this->answer($store->issue($record->userId, $record->scope, null, true));
	}

	private function refusal(array $server, array $form, int $bodyLength): ?Refusal
	{
		if ((int)($server['CONTENT_LENGTH'] ?? 0) > self::MAX_BODY_BYTES || $bodyLength > self::MAX_BODY_BYTES)
		{
			return new Refusal('request_too_large', 'A token request is a few short form fields; this one is larger than ' . self::MAX_BODY_BYTES . ' bytes', 413);
		}
		if (($server['REQUEST_METHOD'] ?? '') !== 'POST')
		{
			return new Refusal('invalid_request', 'Use POST with application/x-www-form-urlencoded parameters', 400);
		}
		$settings = Settings::load();
		$identity = ApplianceIdentity::check($server, $settings);
		if ($identity !== null)
		{
			return $identity;
		}
		if (!$settings->armed)
		{
			return new Refusal('MODULE_NOT_ARMED', 'The b24bridge module is not armed: the box administrator arms it on the module\'s options page', 503);
		}
		foreach (['grant_type', 'client_id', 'client_secret', 'refresh_token'] as $name)
		{
			if (isset($form[$name]) && !is_string($form[$name]))
			{
				return new Refusal('invalid_request', 'Parameter ' . $name . ' must be a single value', 400);
			}
		}
		$grant = $form['grant_type'] ?? '';
		if ($grant !== 'client_credentials' && $grant !== 'refresh_token')
		{
			return new Refusal('unsupported_grant_type', 'grant_type must be client_credentials or refresh_token', 400);
		}
		if (($form['client_id'] ?? '') !== Module::CLIENT_ID)
		{
			return new Refusal('invalid_client', 'Unknown client_id: this endpoint issues tokens only to ' . Module::CLIENT_ID, 401);
		}
		if (!Credential::matches($form['client_secret'] ?? '', $settings->credentialHash))
		{
			return new Refusal('invalid_client', 'Wrong client_secret: use the credential the b24bridge module issued', 401);
		}
		$application = AppTable::getByClientId(Module::CLIENT_ID);
		if (!is_array($application) || $application['ACTIVE'] !== AppTable::ACTIVE)
		{
			return new Refusal('APPLICATION_NOT_FOUND', 'The b24bridge application is missing or inactive on this box', 503);
		}

		return null;
	}

	private function answer(IssuedTokens $tokens): JsonResponse
	{
		return new JsonResponse(200, [
			'access_token' => $tokens->accessToken,
			'expires' => $tokens->expires,
			'expires_in' => $tokens->expiresIn,
			'scope' => $tokens->scope,
			'domain' => \Bitrix\Main\Context::getCurrent()->getRequest()->getHttpHost(),
			'server_endpoint' => Endpoints::server(),
			'client_endpoint' => \CRestUtil::getEndpoint(),
			'member_id' => \CRestUtil::getMemberId(),
			'user_id' => $tokens->userId,
			'status' => AppTable::STATUS_LOCAL,
			'refresh_token' => $tokens->refreshToken,
		]);
	}

	private static function refused(Refusal $refusal): JsonResponse
	{
		return new JsonResponse($refusal->httpStatus, $refusal->toJson());
	}
}
