<?php

declare(strict_types=1);

namespace B24bridge\Tests\Contract;

/**
 * Plays a contract fixture (box-module/contract/README.md) against a transport and returns what did not match,
 * one line per mismatch, empty when the box with the module behaved as the fixture says.
 */
final class Runner
{
	private array $vars = [];
	private array $failures = [];

	public function __construct(private readonly Transport $transport)
	{
	}

	/** @return list<string> */
	public function run(array $fixture): array
	{
		$this->failures = [];
		$this->vars = $this->transport->reset();
		if (($fixture['given']['installEvent'] ?? 'pending') === 'acknowledged')
		{
			$this->acknowledgeInstallEvent();
		}
		foreach ($fixture['steps'] as $index => $step)
		{
			$this->step($index, $step);
		}

		return $this->failures;
	}

	private function step(int $index, array $step): void
	{
		$where = 'step ' . $index . (isset($step['note']) ? ' (' . $step['note'] . ')' : '');
		if (isset($step['box']))
		{
			$this->transport->box($this->substitute($step));

			return;
		}
		$connection = $step['connection'] ?? 'appliance';
		if (isset($step['token']))
		{
			[$status, $body] = $this->transport->token($this->substitute($step['token']), $connection);
		}
		else
		{
			[$status, $body] = $this->transport->rest($step['rest'], $this->substitute($step['params'] ?? []), $connection);
		}
		$expect = $step['expect'] ?? [];
		if (isset($expect['status']) && $expect['status'] !== $status)
		{
			$this->failures[] = $where . ': status ' . $status . ', expected ' . $expect['status'] . ' — ' . json_encode($body, JSON_UNESCAPED_SLASHES);
		}
		if (isset($expect['body']))
		{
			$this->match($where . ': body', $this->substitute($expect['body']), $body, true);
		}
		foreach ($step['save'] ?? [] as $name => $path)
		{
			$this->vars[$name] = self::at($body, $path);
		}
	}

	private function match(string $where, mixed $expected, mixed $actual, bool $present): void
	{
		if (is_array($expected) && array_key_exists('$absent', $expected))
		{
			if ($present)
			{
				$this->failures[] = $where . ' must be absent, is ' . json_encode($actual, JSON_UNESCAPED_SLASHES);
			}

			return;
		}
		if (!$present)
		{
			$this->failures[] = $where . ' is missing';

			return;
		}
		if (is_array($expected) && array_key_exists('$match', $expected))
		{
			if (!is_string($actual) || !preg_match('~' . $expected['$match'] . '~', $actual))
			{
				$this->failures[] = $where . ' = ' . json_encode($actual, JSON_UNESCAPED_SLASHES) . ' does not match ' . $expected['$match'];
			}

			return;
		}
		if (is_array($expected) && array_key_exists('$type', $expected))
		{
			if (self::type($actual) !== $expected['$type'])
			{
				$this->failures[] = $where . ' is ' . self::type($actual) . ', expected ' . $expected['$type'];
			}

			return;
		}
		if (is_array($expected) && array_key_exists('$gt', $expected))
		{
			if (!is_int($actual) || $actual <= $expected['$gt'])
			{
				$this->failures[] = $where . ' = ' . json_encode($actual) . ', expected more than ' . json_encode($expected['$gt']);
			}

			return;
		}
		if (is_array($expected) && array_is_list($expected))
		{
			if (!is_array($actual) || !array_is_list($actual) || count($actual) !== count($expected))
			{
				$this->failures[] = $where . ' = ' . json_encode($actual, JSON_UNESCAPED_SLASHES) . ', expected a list of ' . count($expected);

				return;
			}
			foreach ($expected as $i => $item)
			{
				$this->match($where . '[' . $i . ']', $item, $actual[$i], true);
			}

			return;
		}
		if (is_array($expected))
		{
			if (!is_array($actual) || ($actual !== [] && array_is_list($actual)))
			{
				$this->failures[] = $where . ' = ' . json_encode($actual, JSON_UNESCAPED_SLASHES) . ', expected an object';

				return;
			}
			if (isset($expected['$keys']) && self::sorted(array_keys($actual)) !== self::sorted($expected['$keys']))
			{
				$this->failures[] = $where . ' has keys ' . implode(',', array_keys($actual)) . ', expected exactly ' . implode(',', $expected['$keys']);
			}
			unset($expected['$keys']);
			foreach ($expected as $key => $value)
			{
				$this->match($where . '.' . $key, $value, $actual[$key] ?? null, array_key_exists($key, $actual));
			}

			return;
		}
		if ($expected !== $actual)
		{
			$this->failures[] = $where . ' = ' . json_encode($actual, JSON_UNESCAPED_SLASHES) . ', expected ' . json_encode($expected, JSON_UNESCAPED_SLASHES);
		}
	}

	/** "${name}" alone becomes the saved value with its type; inside a longer string it is interpolated. */
	private function substitute(mixed $value): mixed
	{
		if (is_array($value) && isset($value['$repeat']))
		{
			return str_repeat((string)$value['$repeat'], (int)$value['times']);
		}
		if (is_array($value))
		{
			return array_map(fn(mixed $v): mixed => $this->substitute($v), $value);
		}
		if (!is_string($value))
		{
			return $value;
		}
		if (preg_match('/^\$\{(\w+)\}$/', $value, $m))
		{
			return $this->variable($m[1]);
		}

		return preg_replace_callback('/\$\{(\w+)\}/', fn(array $m): string => (string)$this->variable($m[1]), $value);
	}

	private function variable(string $name): mixed
	{
		if (!array_key_exists($name, $this->vars))
		{
			throw new \RuntimeException('fixture uses ${' . $name . '} before saving it');
		}

		return $this->vars[$name];
	}

	private function acknowledgeInstallEvent(): void
	{
		[, $token] = $this->transport->token(['grant_type' => 'client_credentials', 'client_id' => $this->vars['clientId'], 'client_secret' => $this->vars['credential']], 'appliance');
		[, $pulled] = $this->transport->rest('b24bridge.events.pull', ['auth' => $token['access_token']], 'appliance');
		$this->transport->rest('b24bridge.events.ack', ['auth' => $token['access_token'], 'id' => $pulled['result']['events'][0]['id']], 'appliance');
	}

	private static function at(array $body, string $path): mixed
	{
		$value = $body;
		foreach (explode('.', $path) as $key)
		{
			if (!is_array($value) || !array_key_exists($key, $value))
			{
				throw new \RuntimeException('no ' . $path . ' in ' . json_encode($body, JSON_UNESCAPED_SLASHES));
			}
			$value = $value[$key];
		}

		return $value;
	}

	private static function type(mixed $value): string
	{
		return match (true)
		{
			is_string($value) => 'string',
			is_int($value) => 'integer',
			is_float($value) => 'number',
			is_bool($value) => 'boolean',
			$value === null => 'null',
			is_array($value) && ($value === [] || array_is_list($value)) => 'array',
			default => 'object',
		};
	}

	private static function sorted(array $keys): array
	{
		sort($keys);

		return $keys;
	}
}
