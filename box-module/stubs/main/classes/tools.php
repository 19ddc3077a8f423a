<?php

declare(strict_types=1);

use Bitrix\Main\Application;
use Bitrix\Main\EventManager;
use Bitrix\Main\Loader;
use Bitrix\Main\ModuleManager;

/*
 * Stubs of the global functions of main/tools.php that the module and the other stubs call.
 */

/** GetModuleEvents($module, $event, true): the handler rows in SORT order (main/tools.php:5172-5207). */
function GetModuleEvents(string $moduleId, string $messageId, bool $bReturnArray = false): array
{
	return EventManager::getInstance()->findEventHandlers($moduleId, $messageId);
}

/**
 * ExecuteModuleEventEx($arEvent, $arParams): includes the handler's module and returns null when that fails
 * (tools.php:5209-5222) – a broken module silently falls through; arguments are passed positionally whatever the
 * handler's VERSION (tools.php:5246-5276), so a VERSION 2 handler of onRestCheckAuth still gets ($query, $scope, &$res).
 */
function ExecuteModuleEventEx(array $arEvent, array $arParams = []): mixed
{
	if (!empty($arEvent['TO_MODULE_ID']) && $arEvent['TO_MODULE_ID'] !== 'main' && !Loader::includeModule($arEvent['TO_MODULE_ID']))
	{
		return null;
	}
	$args = is_array($arEvent['TO_METHOD_ARG'] ?? null) ? $arEvent['TO_METHOD_ARG'] : [];
	foreach (array_keys($arParams) as $key)
	{
		$args[] = &$arParams[$key];
	}
	$callback = $arEvent['CALLBACK'] ?? [$arEvent['TO_CLASS'], $arEvent['TO_METHOD']];

	return call_user_func_array($callback, $args);
}

/** RegisterModule($id) → ModuleManager::registerModule (tools.php:5150-5158). */
function RegisterModule(string $id): void
{
	ModuleManager::registerModule($id);
}

function UnRegisterModule(string $id): void
{
	ModuleManager::unRegisterModule($id);
}

function IsModuleInstalled(string $id): bool
{
	return ModuleManager::isModuleInstalled($id);
}

/** CopyDirFiles($from, $to, $rewrite = true, $recursive = false, ...) (main/tools.php): copies a folder's files. */
function CopyDirFiles(string $pathFrom, string $pathTo, bool $rewrite = true, bool $recursive = false): bool
{
	if (!is_dir($pathTo) && !mkdir($pathTo, 0775, true) && !is_dir($pathTo))
	{
		return false;
	}
	foreach (scandir($pathFrom) as $entry)
	{
		if ($entry === '.' || $entry === '..')
		{
			continue;
		}
		$from = $pathFrom . '/' . $entry;
		$to = $pathTo . '/' . $entry;
		if (is_dir($from))
		{
			if ($recursive)
			{
				CopyDirFiles($from, $to, $rewrite, true);
			}
		}
		elseif ($rewrite || !file_exists($to))
		{
			copy($from, $to);
		}
	}

	return true;
}

/** DeleteDirFilesEx($path): $path is relative to the document root (main/tools.php). */
function DeleteDirFilesEx(string $path): bool
{
	$full = Application::getDocumentRoot() . $path;
	if (is_file($full))
	{
		return unlink($full);
	}
	if (!is_dir($full))
	{
		return false;
	}
	foreach (array_diff(scandir($full), ['.', '..']) as $entry)
	{
		DeleteDirFilesEx($path . '/' . $entry);
	}

	return rmdir($full);
}

/** check_bitrix_sessid(): the form's sessid equals the session's (main/tools.php). The stub's session id is fixed. */
function check_bitrix_sessid(string $varname = 'sessid'): bool
{
	return ($_REQUEST[$varname] ?? '') === bitrix_sessid();
}

function bitrix_sessid(): string
{
	return 'stub-session-id';
}

function bitrix_sessid_post(string $varname = 'sessid'): string
{
	return '<input type="hidden" name="' . $varname . '" id="' . $varname . '" value="' . bitrix_sessid() . '" />';
}

function htmlspecialcharsbx(?string $string): string
{
	return htmlspecialchars((string)$string, ENT_COMPAT, 'UTF-8');
}

/** AddMessage2Log($text, $module): the box appends to LOG_FILENAME when defined; the stub keeps the lines for tests. */
function AddMessage2Log(string $text, string $module = ''): void
{
	\BoxStub\Log::$lines[] = ($module !== '' ? $module . ': ' : '') . $text;
}
