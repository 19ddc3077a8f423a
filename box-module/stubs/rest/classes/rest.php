<?php

declare(strict_types=1);

use Bitrix\Rest\Event\Session;
use Bitrix\Rest\OAuthException;
use Bitrix\Rest\RestException;

/**
 * Stub of rest/classes/general/rest.php (CRestServer), the path of a /rest/<method> hit (processExecution,
 * rest.php:813-858): find the method in the description (lower-cased, 489-527; unknown → ERROR_METHOD_NOT_FOUND
 * "Method not found!" 404, 143,227,855), checkAuth() with the description key as scope (579-626: $res fills
 * authType/clientId/passwordId/authData, parameters_clear moves keys out of the query, parameters[EVENT_SESSION]
 * restores the loop counter; failure → OAuthException), call ($query, $start, $server) (203-253) and shape the answer:
 * {"result": …, "time": …} with next/total lifted (893-923), errors as {"error","error_description"} with the
 * exception's status (660-688); ArgumentException → ERROR_ARGUMENT 400, other exceptions → code or ERROR_CORE 400
 * (860-891). batch and the download helper are not modelled; the uploadUrl's second step (/rest/upload.json, the file in
 * a multipart body, rest.php:813-858) is handed on like a method, with its file. Served "behind the module" (BoxStub\Behind), every
 * method but the module's and app.info is handed, after the auth chain, to the Java box emulator.
 */
class CRestServer
{
	public const STATUS_OK = '200 OK';
	public const STATUS_CREATED = '201 Created';
	public const STATUS_WRONG_REQUEST = '400 Bad Request';
	public const STATUS_UNAUTHORIZED = '401 Unauthorized';
	public const STATUS_PAYMENT_REQUIRED = '402 Payment Required';
	public const STATUS_FORBIDDEN = '403 Forbidden';
	public const STATUS_NOT_FOUND = '404 Not Found';
	public const STATUS_TO_MANY_REQUESTS = '429 Too Many Requests';
	public const STATUS_INTERNAL = '500 Internal Server Error';

	/** The stub's marker for a method handed on to the Java box emulator (served "behind the module" only). */
	private const BEHIND = 'behind';
	private const REASONS = [200 => 'OK', 400 => 'Bad Request', 401 => 'Unauthorized', 403 => 'Forbidden',
		404 => 'Not Found', 429 => 'Too Many Requests', 500 => 'Internal Server Error', 503 => 'Service Unavailable'];

	private static ?CRestServer $instance = null;

	protected string $method;
	protected array $query;
	protected string $transport;
	protected ?string $scope = null;
	protected ?string $clientId = null;
	protected ?string $authType = null;
	protected ?string $passwordId = null;
	protected array $authData = [];
	protected array $auth = [];
	protected string $status = self::STATUS_OK;

	public function __construct(array $params)
	{
		$this->method = mb_strtolower((string)$params['METHOD']);
		$this->query = (array)$params['QUERY'];
		$this->transport = (string)($params['TRANSPORT'] ?? 'json');
		self::$instance ??= $this;
	}

	public static function instance(): ?self
	{
		return self::$instance;
	}

	public static function resetForNextHit(): void
	{
		self::$instance = null;
	}

	/** @return array the answer body; getStatus() gives the HTTP status line */
	public function process(): array
	{
		$start = microtime(true);
		try
		{
			$callback = $this->findMethod();
			$this->checkAuth();
			if ($callback === self::BEHIND)
			{
				// the box's own method, answered by the Java box emulator behind the module (BoxStub\Behind)
				[$code, $body] = \BoxStub\Behind::rest($this->method, $this->query, $this->authData,
					(string)($this->auth['auth'] ?? ''));
				$this->status = $code . ' ' . (self::REASONS[$code] ?? 'Status');

				return $body;
			}
			$result = $this->processCall($callback);
			$output = ['result' => $result];
			if (is_array($result))
			{
				if (!empty($result['error']) && !empty($result['error_description']))
				{
					return $result;
				}
				foreach (['next', 'total'] as $key)
				{
					if (array_key_exists($key, $result))
					{
						$output[$key] = $result[$key];
						unset($output['result'][$key]);
					}
				}
			}
			$finish = microtime(true);
			$output['time'] = ['start' => $start, 'finish' => $finish, 'duration' => $finish - $start, 'processing' => $finish - $start,
				'date_start' => date('c', (int)$start), 'date_finish' => date('c', (int)$finish)];

			return $output;
		}
		catch (RestException $e)
		{
			$this->status = $e->getStatus();

			return $e->output();
		}
		catch (\Bitrix\Main\ArgumentException $e)
		{
			$this->status = self::STATUS_WRONG_REQUEST;

			return ['error' => RestException::ERROR_ARGUMENT, 'error_description' => $e->getMessage(), 'argument' => $e->getParameter()];
		}
		catch (\Exception $e)
		{
			$this->status = self::STATUS_WRONG_REQUEST;

			return ['error' => $e->getCode() ?: RestException::ERROR_CORE, 'error_description' => $e->getMessage()];
		}
	}

	private function findMethod(): callable|array|string
	{
		$behind = \BoxStub\Behind::enabled() && !\BoxStub\Behind::keeps($this->method);
		if ($behind)
		{
			$this->scope = \BoxStub\Behind::scopeOf($this->method);

			return self::BEHIND;
		}
		foreach ((new CRestProvider())->getDescription() as $scope => $methods)
		{
			if (isset($methods[$this->method]))
			{
				$this->scope = $scope;
				$description = $methods[$this->method];

				return $description['callback'] ?? $description;
			}
		}
		throw new RestException('Method not found!', RestException::ERROR_METHOD_NOT_FOUND, self::STATUS_NOT_FOUND);
	}

	protected function checkAuth(): bool
	{
		$res = [];
		if (CRestUtil::checkAuth($this->query, $this->scope, $res))
		{
			$this->authType = $res['auth_type'];
			$this->clientId = isset($res['client_id']) ? (string)$res['client_id'] : null;
			$this->passwordId = isset($res['password_id']) ? (string)$res['password_id'] : null;
			$this->authData = $res;
			foreach ($res['parameters_clear'] ?? [] as $key)
			{
				if (array_key_exists($key, $this->query))
				{
					$this->auth[$key] = $this->query[$key];
					unset($this->query[$key]);
				}
			}
			if (isset($res['parameters'][Session::PARAM_SESSION]))
			{
				Session::set($res['parameters'][Session::PARAM_SESSION]);
			}

			return true;
		}
		throw new OAuthException($res);
	}

	private function processCall(callable|array $callback): mixed
	{
		$start = (int)($this->query['start'] ?? 0);
		$query = $this->query;
		unset($query['start']);

		return call_user_func_array($callback, [$query, $start, $this]);
	}

	public function getStatus(): string
	{
		return $this->status;
	}

	public function setStatus(string $status): void
	{
		$this->status = $status;
	}

	public function getMethod(): string
	{
		return $this->method;
	}

	public function getQuery(): array
	{
		return $this->query;
	}

	public function getTransport(): string
	{
		return $this->transport;
	}

	public function getScope(): ?string
	{
		return $this->scope;
	}

	public function getAuthType(): ?string
	{
		return $this->authType;
	}

	public function getClientId(): ?string
	{
		return $this->clientId;
	}

	public function getPasswordId(): ?string
	{
		return $this->passwordId;
	}

	public function getAuthData(): array
	{
		return $this->authData;
	}

	public function getAuth(): array
	{
		return $this->auth;
	}

	public function getAuthScope(): array
	{
		return isset($this->authData['scope']) ? explode(',', $this->authData['scope']) : [];
	}
}
