<?php

declare(strict_types=1);

namespace BoxStub;

/**
 * "Behind the module": the served stub box hands the box's own REST methods (telephony.*, crm.*, user.*, …), and the
 * box's call tables the module reads, on to the Java box emulator (testkit), so the box's behaviour is modelled once —
 * there — and the PHP side holds only what the module does. On when serve/start.sh was given the emulator's address
 * (B24BRIDGE_BEHIND_URL and B24BRIDGE_BEHIND_KEY, written to served.json as "behind"); off in PHPUnit and by default.
 *
 * What the module decided travels along: the request reaches the emulator only after the box's auth chain (the module's
 * validator for its tokens) accepted it, with the identity the chain established (auth type, client_id, user, scope),
 * authenticated to the emulator by the shared key.
 */
final class Behind
{
	/** Methods the PHP side keeps: the module's own, and app.info (the application lives in this box's b_rest_app). */
	public static function keeps(string $method): bool
	{
		return str_starts_with($method, 'b24bridge.') || $method === 'app.info';
	}

	public static function enabled(): bool
	{
		return self::config() !== null;
	}

	/** The scope the box files a method under (the description key, rest.php:489-527), by its name. */
	public static function scopeOf(string $method): string
	{
		return match (true) {
			str_starts_with($method, 'telephony.') => 'telephony',
			str_starts_with($method, 'crm.') => 'crm',
			str_starts_with($method, 'user.') => 'user',
			str_starts_with($method, 'tasks.') => 'task',
			default => \CRestUtil::GLOBAL_SCOPE,
		};
	}

	/**
	 * A REST method answered by the emulator as the identity the box's auth chain established.
	 *
	 * @return array{0: int, 1: array} the HTTP status and the JSON answer
	 */
	public static function rest(string $method, array $query, array $authData, string $token = ''): array
	{
		$headers = [
			'X-Behind-Auth-Type: ' . ($authData['auth_type'] ?? ''),
			'X-Behind-Client: ' . ($authData['client_id'] ?? ''),
			'X-Behind-User: ' . (int)($authData['user_id'] ?? 0),
			'X-Behind-Scope: ' . ($authData['scope'] ?? ''),
			// the request's own token: what CRestUtil::getSpecialUrl (rest_util.php:989-1035) puts into an uploadUrl
			'X-Behind-Token: ' . $token,
		];
		if ($method === 'upload')
		{
			// the uploadUrl's second step: its parameters in the query, the file as PHP received it
			$file = $_FILES['file'] ?? null;
			$fields = is_array($file) && is_uploaded_file((string)$file['tmp_name'])
				? ['file' => new \CURLFile((string)$file['tmp_name'], 'application/octet-stream', (string)$file['name'])]
				: [];

			return self::send('POST', '/_behind/rest/upload?' . http_build_query($query), $fields, $headers);
		}

		return self::send('POST', '/_behind/rest/' . rawurlencode($method), http_build_query($query), $headers);
	}

	/**
	 * The box's rows of the application's calls with this EXTERNAL_CALL_ID: open (b_voximplant_call) or finished
	 * (b_voximplant_statistic), in the columns of those tables.
	 *
	 * @return list<array>
	 */
	public static function calls(string $table, string $externalCallId, string $clientId): array
	{
		[$status, $body] = self::send('GET', '/_behind/calls?' . http_build_query(['table' => $table,
			'EXTERNAL_CALL_ID' => $externalCallId, 'owner' => 'app:' . $clientId]), null, []);
		if ($status !== 200 || !isset($body['rows']) || !is_array($body['rows']))
		{
			throw new \RuntimeException('the box emulator behind the module did not give its call rows (HTTP ' . $status . ')');
		}

		return $body['rows'];
	}

	/**
	 * What CallTable / StatisticTable::getList give behind the module: the rows of the application's calls with one
	 * EXTERNAL_CALL_ID (the one query the module makes, Rest\CallLookup); any other query is refused, so the stub never
	 * answers a question it does not model.
	 */
	public static function callRows(string $table, array $parameters): ArrayResult
	{
		$filter = $parameters['filter'] ?? [];
		if (array_keys($filter) !== ['=EXTERNAL_CALL_ID', '=REST_APP_ID'])
		{
			throw new \LogicException('behind the module, the box\'s call tables answer only the lookup by EXTERNAL_CALL_ID and REST_APP_ID');
		}
		$app = \Bitrix\Rest\AppTable::getById((int)$filter['=REST_APP_ID'])->fetch();
		$rows = is_array($app) ? self::calls($table, (string)$filter['=EXTERNAL_CALL_ID'], (string)$app['CLIENT_ID']) : [];
		$select = $parameters['select'] ?? null;

		return new ArrayResult(array_map(static fn(array $row): array => $select === null ? $row
			: array_intersect_key($row, array_flip($select)), $rows));
	}

	/** @return array{0: int, 1: array} */
	/** @param string|array|null $body a form (string), or multipart fields (array: curl sets the content type) */
	private static function send(string $httpMethod, string $path, string|array|null $body, array $headers): array
	{
		$config = self::config();
		$curl = curl_init(rtrim((string)$config['url'], '/') . $path);
		curl_setopt_array($curl, [
			CURLOPT_CUSTOMREQUEST => $httpMethod,
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_HTTPHEADER => array_merge($headers, ['X-Behind-Key: ' . $config['key']],
				is_array($body) ? [] : ['Content-Type: application/x-www-form-urlencoded']),
			CURLOPT_CONNECTTIMEOUT => 5,
			CURLOPT_TIMEOUT => 60,
		]);
		if ($body !== null)
		{
			curl_setopt($curl, CURLOPT_POSTFIELDS, $body);
		}
		$answer = curl_exec($curl);
		$status = (int)curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
		$error = curl_error($curl);
		curl_close($curl);
		if ($answer === false)
		{
			return [503, ['error' => 'INTERNAL_SERVER_ERROR', 'error_description' => 'the box behind the module is unreachable: ' . $error]];
		}
		$json = json_decode((string)$answer, true);

		return [$status, is_array($json) ? $json : ['error' => 'ERROR_UNEXPECTED_ANSWER', 'error_description' => 'not JSON']];
	}

	private static function config(): ?array
	{
		static $config = false;
		if ($config === false)
		{
			$config = null;
			$root = (string)($_SERVER['DOCUMENT_ROOT'] ?? '');
			$file = $root === '' ? '' : dirname($root) . '/served.json';
			if ($file !== '' && is_file($file))
			{
				$served = json_decode((string)file_get_contents($file), true);
				$behind = is_array($served) ? ($served['behind'] ?? null) : null;
				$config = is_array($behind) && ($behind['url'] ?? '') !== '' ? $behind : null;
			}
		}

		return $config;
	}
}
