<?php

declare(strict_types=1);

/**
 * Stub of main/classes/general/user.php as the REST layer uses it: Authorize($id, $remember, $update, $applicationId)
 * logs the user in for this hit (rest/lib/Public/Command/Auth/AuthorizeUserCommandHandler.php:41-61); IsAdmin() is
 * membership of group 1, kept in the stub's b_user.ADMIN column.
 */
class CUser
{
	private int $id = 0;
	private ?int $applicationId = null;

	public function Authorize($userId, $bSave = false, $bUpdate = true, $applicationId = null): bool
	{
		$row = \Bitrix\Main\Application::getConnection()->query('SELECT ID FROM b_user WHERE ACTIVE=\'Y\' AND ID=' . (int)$userId)->fetch();
		if ($row === false)
		{
			return false;
		}
		$this->id = (int)$userId;
		$this->applicationId = $applicationId === null ? null : (int)$applicationId;

		return true;
	}

	public function Logout(): void
	{
		$this->id = 0;
		$this->applicationId = null;
	}

	public function GetID(): int
	{
		return $this->id;
	}

	public function IsAuthorized(): bool
	{
		return $this->id > 0;
	}

	public function IsAdmin(): bool
	{
		if ($this->id === 0)
		{
			return false;
		}
		$row = \Bitrix\Main\Application::getConnection()->query('SELECT ADMIN FROM b_user WHERE ID=' . $this->id)->fetch();

		return $row !== false && $row['ADMIN'] === 'Y';
	}

	public function CanAccess(array $codes): bool
	{
		return $this->IsAdmin() || $codes === [];
	}

	/** The application the current login came from (set by REST authorization), for tests. */
	public function getApplicationId(): ?int
	{
		return $this->applicationId;
	}
}
