<?php

declare(strict_types=1);

namespace BoxStub;

use Bitrix\Main\Application;

/**
 * The served stub box's /rest/ entry point, in place of /bitrix/services/rest/index.php and the bitrix:rest.provider
 * component (rest/services/rest/index.php:2-27): the method from the path /rest/<method>[.json], the parameters from
 * the query string and the form or JSON body (CRestUtil::getRequestData, rest_util.php), the answer as JSON with the
 * server's status line, then – after fastcgi_finish_request(), as the box does (main/lib/httpresponse.php:29-50) –
 * the background jobs, among them the event provider's send.
 */
final class FrontController
{
	public static function serveRest(): void
	{
		$path = (string)parse_url((string)($_SERVER['REQUEST_URI'] ?? ''), PHP_URL_PATH);
		if (!preg_match('#^/rest/([A-Za-z0-9_.]+?)(?:\.(json))?/?$#', $path, $m))
		{
			self::send('404 Not Found', ['error' => 'NOT_FOUND', 'error_description' => 'Not a REST path']);

			return;
		}
		$server = new \CRestServer(['METHOD' => $m[1], 'QUERY' => self::query(), 'TRANSPORT' => 'json']);
		$answer = $server->process();
		self::send($server->getStatus(), $answer);
		if (function_exists('fastcgi_finish_request'))
		{
			fastcgi_finish_request();
		}
		Application::getInstance()->terminate();
	}

	private static function query(): array
	{
		$query = $_GET;
		$contentType = trim(preg_replace('/;.*$/', '', (string)($_SERVER['CONTENT_TYPE'] ?? '')));
		if ($contentType === 'application/json')
		{
			$json = json_decode((string)file_get_contents('php://input'), true);

			return array_replace($query, is_array($json) ? $json : []);
		}

		return array_replace($query, $_POST);
	}

	private static function send(string $status, array $body): void
	{
		header('HTTP/1.1 ' . $status);
		header('Content-Type: application/json; charset=utf-8');
		echo json_encode($body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
	}
}
