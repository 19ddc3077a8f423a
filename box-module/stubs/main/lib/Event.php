<?php

declare(strict_types=1);

namespace Bitrix\Main;

/** Stub of main/lib/event.php: new Event($moduleId, $type, $parameters = [], $filter = null) (event.php:29,66,139). */
class Event
{
	/** @var list<EventResult> */
	private array $results = [];

	public function __construct(
		private readonly string $moduleId,
		private readonly string $type,
		private array $parameters = [],
		private readonly ?array $filter = null,
	)
	{
	}

	public function send($sender = null): void
	{
		EventManager::getInstance()->send($this);
	}

	public function getModuleId(): string
	{
		return $this->moduleId;
	}

	public function getEventType(): string
	{
		return $this->type;
	}

	public function getParameters(): array
	{
		return $this->parameters;
	}

	public function getParameter(string $key): mixed
	{
		return $this->parameters[$key] ?? null;
	}

	public function getFilter(): ?array
	{
		return $this->filter;
	}

	public function addResult(EventResult $result): void
	{
		$this->results[] = $result;
	}

	/** @return list<EventResult> */
	public function getResults(): array
	{
		return $this->results;
	}
}
