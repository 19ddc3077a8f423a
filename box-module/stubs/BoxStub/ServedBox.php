<?php

declare(strict_types=1);

namespace BoxStub;

/**
 * The served stub box's own controls (its "UI" and its reset), reachable only on the box's ordinary port under
 * /_stub/: what a user or an administrator does in the box's pages, and a fresh box for each contract fixture.
 * The configuration sits next to the document root in served.json, written by serve/start.sh.
 */
final class ServedBox
{
	public static function config(string $documentRoot): array
	{
		return json_decode((string)file_get_contents(dirname($documentRoot) . '/served.json'), true, 512, JSON_THROW_ON_ERROR);
	}

	/** A fresh box with the module installed and armed for the appliance of the configuration. */
	public static function reset(string $documentRoot, array $baseServer = []): array
	{
		$config = self::config($documentRoot);
		Box::create($config['socket'], $config['database'], $documentRoot, $config['moduleDir']);
		$box = Box::open($documentRoot, $baseServer);
		$credential = $box->installAndArm($config['applianceUrl'], $config['applianceDn']);
		$box->makeDefaultOutgoingLine('local.b24bridge.connector');

		return [
			'clientId' => 'local.b24bridge.connector',
			'credential' => $credential,
			'applicationToken' => $box->query("SELECT APPLICATION_TOKEN FROM b_rest_app WHERE CLIENT_ID = 'local.b24bridge.connector'")[0]['APPLICATION_TOKEN'],
		];
	}

	/** POST /_stub/box.php action=reset|click|callbackForm|arm|disarm */
	public static function serve(): void
	{
		$documentRoot = (string)$_SERVER['DOCUMENT_ROOT'];
		$request = $_POST;
		$answer = match ($request['action'] ?? '')
		{
			'reset' => self::reset($documentRoot, $_SERVER),
			'click' => ['error' => Box::open($documentRoot, $_SERVER)->click((int)$request['user'], (string)$request['number'])],
			'callbackForm' => [Box::open($documentRoot, $_SERVER)->callbackForm('local.b24bridge.connector', (string)$request['number'], (string)($request['text'] ?? ''))],
			'arm', 'disarm' => [strlen(Box::open($documentRoot, $_SERVER)->optionsPage(['action' => $request['action']]))],
			default => null,
		};
		header('Content-Type: application/json');
		if ($answer === null)
		{
			http_response_code(400);
			echo '{"error":"unknown action"}';

			return;
		}
		echo json_encode($answer, JSON_UNESCAPED_SLASHES);
	}
}
