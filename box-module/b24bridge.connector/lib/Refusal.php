<?php

declare(strict_types=1);

namespace B24bridge\Connector;

/** A request the module turns away: an error code, a sentence for the log of the caller, an HTTP status. */
final class Refusal
{
	public function __construct(
		public readonly string $error,
		public readonly string $description,
		public readonly int $httpStatus,
	)
	{
	}

	/** As an onRestCheckAuth $res: CRestServer answers it through OAuthException (rest/lib/oauthexception.php:14-36). */
	public function toAuthResult(): array
	{
		return ['error' => $this->error, 'error_description' => $this->description, 'error_status' => $this->statusLine()];
	}

	public function toJson(): array
	{
		return ['error' => $this->error, 'error_description' => $this->description];
	}

	/** The status lines CRestServer knows (rest/classes/general/rest.php:39-47). */
	public function statusLine(): string
	{
		return match ($this->httpStatus)
		{
			400 => '400 Bad Request',
			401 => '401 Unauthorized',
			403 => '403 Forbidden',
			404 => '404 Not Found',
			413 => '413 Payload Too Large',
			503 => '503 Service Unavailable',
			default => $this->httpStatus . ' Error',
		};
	}
}
