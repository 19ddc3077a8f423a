<?php

declare(strict_types=1);

/**
 * Stub of the $APPLICATION object (main/classes/general/main.php): module rights for an options page
 * (GetGroupRight: 'W' for administrators, 'D' otherwise), admin step pages, the pending exception that the
 * REST server turns into the answer (ThrowException/GetException, rest.php:877-881).
 */
class CMain
{
	private ?CApplicationException $exception = null;
	public string $title = '';

	public function GetGroupRight(string $moduleId): string
	{
		global $USER;

		return $USER instanceof CUser && $USER->IsAdmin() ? 'W' : 'D';
	}

	public function IncludeAdminFile(string $title, string $file): void
	{
		$this->title = $title;
		global $APPLICATION, $USER, $DOCUMENT_ROOT;
		include $file;
	}

	public function SetTitle(string $title): void
	{
		$this->title = $title;
	}

	public function ThrowException(string $message, string|false $id = false): void
	{
		$this->exception = new CApplicationException($message, $id);
	}

	public function GetException(): ?CApplicationException
	{
		return $this->exception;
	}

	public function ResetException(): void
	{
		$this->exception = null;
	}

	public function GetCurPage(): string
	{
		return (string)parse_url((string)($_SERVER['REQUEST_URI'] ?? '/'), PHP_URL_PATH);
	}
}

class CApplicationException
{
	public function __construct(private readonly string $message, private readonly string|false $id = false)
	{
	}

	public function GetString(): string
	{
		return $this->message;
	}

	public function GetID(): string|false
	{
		return $this->id;
	}
}
