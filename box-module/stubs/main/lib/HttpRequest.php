<?php

declare(strict_types=1);

namespace Bitrix\Main;

/** Stub of main/lib/httprequest.php: host and scheme as PHP sees them behind the web server. */
class HttpRequest
{
	public function __construct(private readonly array $server)
	{
	}

	public function getHttpHost(): string
	{
		return (string)($this->server['HTTP_HOST'] ?? '');
	}

	public function isHttps(): bool
	{
		return ($this->server['HTTPS'] ?? '') === 'on' || (string)($this->server['SERVER_PORT'] ?? '') === '443';
	}

	/** getHeader($name): the request header as PHP sees it (HTTP_<NAME> server variable). */
	public function getHeader(string $name): ?string
	{
		$key = 'HTTP_' . strtoupper(str_replace('-', '_', $name));

		return isset($this->server[$key]) ? (string)$this->server[$key] : null;
	}

	public function getRequestMethod(): string
	{
		return (string)($this->server['REQUEST_METHOD'] ?? 'GET');
	}
}
