<?php

declare(strict_types=1);

namespace B24bridge\Connector\Rest;

use Bitrix\Main\ArgumentException;

/** Reads the module's method parameters strictly: a bad value is an ERROR_ARGUMENT answer (rest.php:860-891), never a guess. */
final class Params
{
	public static function int(array $query, string $name, ?int $default, int $min, int $max): int
	{
		$value = $query[$name] ?? null;
		if ($value === null || $value === '')
		{
			if ($default === null)
			{
				throw new ArgumentException('Parameter ' . $name . ' is required', $name);
			}

			return $default;
		}
		if (!is_scalar($value) || !preg_match('/^\d{1,19}$/', (string)$value) || (int)$value < $min || (int)$value > $max)
		{
			throw new ArgumentException('Parameter ' . $name . ' must be a whole number from ' . $min . ' to ' . $max, $name);
		}

		return (int)$value;
	}

	public static function string(array $query, string $name, int $maxLength): string
	{
		$value = $query[$name] ?? null;
		if (!is_string($value) || $value === '')
		{
			throw new ArgumentException('Parameter ' . $name . ' is required and must be a single string', $name);
		}
		if (strlen($value) > $maxLength)
		{
			throw new ArgumentException('Parameter ' . $name . ' is longer than ' . $maxLength . ' bytes', $name);
		}

		return $value;
	}
}
