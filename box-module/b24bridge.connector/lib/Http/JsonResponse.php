<?php

declare(strict_types=1);

namespace B24bridge\Connector\Http;

/** An HTTP status and a JSON body. */
final class JsonResponse
{
	public function __construct(public readonly int $status, public readonly array $body)
	{
	}

	public function send(): void
	{
		http_response_code($this->status);
		header('Content-Type: application/json; charset=utf-8');
		header('Cache-Control: no-store');
		echo json_encode($this->body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
	}
}
