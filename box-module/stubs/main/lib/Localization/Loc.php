<?php

declare(strict_types=1);

namespace Bitrix\Main\Localization;

/**
 * Stub of main/lib/localization/loc.php: loadMessages($file) walks up from the file to the nearest folder holding
 * lang/, and includes lang/<default>/<relative path> then lang/<LANGUAGE_ID>/<relative path> (later wins); the files
 * fill $MESS (loc.php:65,110-214). The stub's default language is en; LANGUAGE_ID picks ru or en.
 */
class Loc
{
	/** @var array<string, string> */
	private static array $messages = [];

	public static function loadMessages(string $file): void
	{
		$dir = dirname($file);
		while ($dir !== '/' && $dir !== '.' && !is_dir($dir . '/lang'))
		{
			$dir = dirname($dir);
		}
		$relative = substr($file, strlen($dir) + 1);
		$languages = array_unique(['en', defined('LANGUAGE_ID') ? LANGUAGE_ID : 'en']);
		foreach ($languages as $language)
		{
			$langFile = $dir . '/lang/' . $language . '/' . $relative;
			if (is_file($langFile))
			{
				$MESS = [];
				include $langFile;
				self::$messages = array_merge(self::$messages, $MESS);
			}
		}
	}

	public static function getMessage(string $code, ?array $replace = null, ?string $language = null): ?string
	{
		$message = self::$messages[$code] ?? null;
		if ($message !== null && $replace)
		{
			$message = strtr($message, $replace);
		}

		return $message;
	}
}
