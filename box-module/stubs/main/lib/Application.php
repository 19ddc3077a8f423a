<?php

declare(strict_types=1);

namespace Bitrix\Main;

use Bitrix\Main\DB\Connection;

/**
 * Stub of main/lib/application.php: the connection read from /bitrix/.settings.php and the background jobs that run
 * after the response (addBackgroundJob, application.php:845-850; terminate() runs them, 367-396, under php-fpm after
 * fastcgi_finish_request(), main/lib/httpresponse.php:29-50). JOB_PRIORITY_* as application.php:34-35.
 */
class Application
{
	public const JOB_PRIORITY_NORMAL = 100;
	public const JOB_PRIORITY_LOW = 50;

	private static ?Application $instance = null;
	private ?Connection $connection = null;
	/** @var list<array{callable, array, int}> */
	private array $backgroundJobs = [];

	public static function getInstance(): static
	{
		return self::$instance ??= new static();
	}

	/** Stub-only: a fresh application per simulated hit (a real box gets one per PHP request). */
	public static function resetForNextHit(): void
	{
		$connection = self::$instance?->connection;
		self::$instance = new static();
		self::$instance->connection = $connection;
	}

	/** Stub-only: the next getConnection() reads /bitrix/.settings.php again (a new stub box). */
	public static function forgetConnection(): void
	{
		static::getInstance()->connection = null;
	}

	public static function getConnection(string $name = ''): Connection
	{
		$app = static::getInstance();
		if ($app->connection === null)
		{
			$app->connection = new Connection(self::connect(self::settings()));
		}

		return $app->connection;
	}

	public static function getDocumentRoot(): string
	{
		return rtrim((string)($_SERVER['DOCUMENT_ROOT'] ?? ''), '/');
	}

	public function getContext(): Context
	{
		return Context::getCurrent();
	}

	public function addBackgroundJob(callable $job, array $args = [], int $priority = self::JOB_PRIORITY_NORMAL): static
	{
		$this->backgroundJobs[] = [$job, $args, $priority];

		return $this;
	}

	/** Runs the background jobs, higher priority first, like Application::runBackgroundJobs() (application.php:853-885). */
	public function terminate(): void
	{
		while ($this->backgroundJobs !== [])
		{
			$jobs = $this->backgroundJobs;
			$this->backgroundJobs = [];
			usort($jobs, static fn(array $a, array $b): int => $b[2] <=> $a[2]);
			foreach ($jobs as [$job, $args])
			{
				call_user_func_array($job, $args);
			}
		}
	}

	/** /bitrix/.settings.php 'connections' → 'default' (main/lib/config/configuration.php). */
	private static function settings(): array
	{
		$file = self::getDocumentRoot() . '/bitrix/.settings.php';
		if (!is_file($file))
		{
			throw new SystemException('No database settings at ' . $file);
		}
		$settings = include $file;

		return $settings['connections']['value']['default'];
	}

	private static function connect(array $db): \PDO
	{
		// the stub speaks to MariaDB over its unix socket ('socket'); a box's settings name host, login, password
		$dsn = 'mysql:unix_socket=' . $db['socket'] . ';dbname=' . $db['database'] . ';charset=utf8mb4';

		return new \PDO($dsn, $db['login'], $db['password']);
	}
}
