<?php

declare(strict_types=1);

namespace Bitrix\Main\Security;

/** Stub of main/lib/security/random.php: getString($length, $caseSensitive = false) from a CSPRNG. */
class Random
{
	public static function getString(int $length, bool $caseSensitive = false): string
	{
		$alphabet = $caseSensitive ? 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' : 'abcdefghijklmnopqrstuvwxyz0123456789';
		$out = '';
		for ($i = 0; $i < $length; $i++)
		{
			$out .= $alphabet[random_int(0, strlen($alphabet) - 1)];
		}

		return $out;
	}
}
