<?php

declare(strict_types=1);

namespace Bitrix\Main;

/**
 * Stub of main/lib/eventmanager.php. What the module relies on, reproduced:
 *  - registerEventHandler(...) stores a VERSION 2 row in b_module_to_module with INSERT IGNORE on
 *    UNIQUE_ID = md5(lower(from.event.to.path.class.method.arg.version)) (eventmanager.php:161-200);
 *  - unRegisterEventHandler(...) deletes the matching row (eventmanager.php:136-159);
 *  - handlers are read ORDER BY SORT, only for modules present in b_module (INNER JOIN b_module,
 *    eventmanager.php:231-310), merged with the runtime ones of addEventHandler() (eventmanager.php:104-120);
 *  - send(Event): the target module is included first, a VERSION >= 2 handler gets the Event object, a VERSION 1
 *    handler the parameters spread (eventmanager.php:370-440).
 * The box keeps the rows in the managed cache for 3600 s and clears it on (un)registration; the stub re-reads
 * after every change, which is what a box shows after the cache clear.
 */
class EventManager
{
	private static ?EventManager $instance = null;
	/** @var array<string, array<string, list<array>>> */
	private array $runtime = [];
	private ?array $fromDb = null;

	public static function getInstance(): static
	{
		return self::$instance ??= new static();
	}

	/** Stub-only: forget runtime handlers between simulated hits. */
	public static function resetForNextHit(): void
	{
		self::$instance = null;
	}

	public function addEventHandler(string $fromModuleId, string $eventType, callable|array $callback, $includeFile = false, int $sort = 100): void
	{
		$this->runtime[strtoupper($fromModuleId)][strtoupper($eventType)][] = [
			'SORT' => $sort, 'CALLBACK' => $callback, 'VERSION' => 2, 'TO_MODULE_ID' => '',
		];
	}

	public function registerEventHandler($fromModuleId, $eventType, $toModuleId, $toClass = '', $toMethod = '', $sort = 100, $toPath = '', $toMethodArg = []): void
	{
		$this->register($fromModuleId, $eventType, $toModuleId, $toClass, $toMethod, (int)$sort, $toPath, $toMethodArg, 2);
	}

	public function registerEventHandlerCompatible($fromModuleId, $eventType, $toModuleId, $toClass = '', $toMethod = '', $sort = 100, $toPath = '', $toMethodArg = []): void
	{
		$this->register($fromModuleId, $eventType, $toModuleId, $toClass, $toMethod, (int)$sort, $toPath, $toMethodArg, 1);
	}

	public function unRegisterEventHandler($fromModuleId, $eventType, $toModuleId, $toClass = '', $toMethod = '', $toPath = '', $toMethodArg = []): void
	{
		$arg = (!is_array($toMethodArg) || $toMethodArg === []) ? '' : serialize($toMethodArg);
		$connection = Application::getConnection();
		$h = $connection->getSqlHelper();
		$connection->queryExecute(
			"DELETE FROM b_module_to_module WHERE FROM_MODULE_ID='" . $h->forSql($fromModuleId) . "'"
			. " AND MESSAGE_ID='" . $h->forSql($eventType) . "' AND TO_MODULE_ID='" . $h->forSql($toModuleId) . "'"
			. ($toClass != '' ? " AND TO_CLASS='" . $h->forSql($toClass) . "'" : " AND (TO_CLASS='' OR TO_CLASS IS NULL)")
			. ($toMethod != '' ? " AND TO_METHOD='" . $h->forSql($toMethod) . "'" : " AND (TO_METHOD='' OR TO_METHOD IS NULL)")
			. ($toPath != '' ? " AND TO_PATH='" . $h->forSql($toPath) . "'" : " AND (TO_PATH='' OR TO_PATH IS NULL)")
			. ($arg != '' ? " AND TO_METHOD_ARG='" . $h->forSql($arg) . "'" : " AND (TO_METHOD_ARG='' OR TO_METHOD_ARG IS NULL)")
		);
		$this->fromDb = null;
	}

	/** @return list<array> handlers in SORT order */
	public function findEventHandlers($eventModuleId, $eventType, ?array $filter = null): array
	{
		$this->fromDb ??= $this->loadFromDb();
		$module = strtoupper($eventModuleId);
		$type = strtoupper($eventType);
		$handlers = array_merge($this->fromDb[$module][$type] ?? [], $this->runtime[$module][$type] ?? []);
		usort($handlers, static fn(array $a, array $b): int => $a['SORT'] <=> $b['SORT']);
		if ($filter)
		{
			$handlers = array_values(array_filter($handlers, static fn(array $h): bool => in_array($h['TO_MODULE_ID'], $filter, true)));
		}

		return $handlers;
	}

	public function send(Event $event): void
	{
		foreach ($this->findEventHandlers($event->getModuleId(), $event->getEventType(), $event->getFilter()) as $handler)
		{
			if ($handler['TO_MODULE_ID'] !== '' && $handler['TO_MODULE_ID'] !== 'main' && !Loader::includeModule($handler['TO_MODULE_ID']))
			{
				continue;
			}
			$args = is_array($handler['TO_METHOD_ARG'] ?? null) ? $handler['TO_METHOD_ARG'] : [];
			if ($handler['VERSION'] > 1)
			{
				$args[] = $event;
			}
			else
			{
				$args = array_merge($args, array_values($event->getParameters()));
			}
			$callback = $handler['CALLBACK'] ?? [$handler['TO_CLASS'], $handler['TO_METHOD']];
			$result = call_user_func_array($callback, $args);
			if ($result !== null)
			{
				$event->addResult($result instanceof EventResult ? $result : new EventResult(EventResult::UNDEFINED, $result));
			}
		}
	}

	private function register($fromModuleId, $eventType, $toModuleId, $toClass, $toMethod, int $sort, $toPath, $toMethodArg, int $version): void
	{
		$arg = (!is_array($toMethodArg) || $toMethodArg === []) ? '' : serialize($toMethodArg);
		$uniqueId = md5(mb_strtolower($fromModuleId . '.' . $eventType . '.' . $toModuleId . '.' . $toPath . '.' . $toClass . '.' . $toMethod . '.' . $arg . '.' . $version));
		$connection = Application::getConnection();
		$h = $connection->getSqlHelper();
		$connection->queryExecute($h->getInsertIgnore(
			'b_module_to_module',
			'(SORT, FROM_MODULE_ID, MESSAGE_ID, TO_MODULE_ID, TO_CLASS, TO_METHOD, TO_PATH, TO_METHOD_ARG, VERSION, UNIQUE_ID)',
			"VALUES (" . $sort . ", '" . $h->forSql($fromModuleId) . "', '" . $h->forSql($eventType) . "', '" . $h->forSql($toModuleId)
			. "', '" . $h->forSql($toClass) . "', '" . $h->forSql($toMethod) . "', '" . $h->forSql($toPath) . "', '" . $h->forSql($arg)
			. "', " . $version . ", '" . $uniqueId . "')"
		));
		$this->fromDb = null;
	}

	private function loadFromDb(): array
	{
		$rows = Application::getConnection()->query(
			'SELECT FROM_MODULE_ID, MESSAGE_ID, SORT, TO_MODULE_ID, TO_PATH, TO_CLASS, TO_METHOD, TO_METHOD_ARG, VERSION'
			. ' FROM b_module_to_module m2m INNER JOIN b_module m ON (m2m.TO_MODULE_ID = m.ID) ORDER BY SORT, m2m.ID'
		)->fetchAll();
		$handlers = [];
		foreach ($rows as $row)
		{
			$handlers[strtoupper($row['FROM_MODULE_ID'])][strtoupper($row['MESSAGE_ID'])][] = [
				'SORT' => (int)$row['SORT'],
				'TO_MODULE_ID' => $row['TO_MODULE_ID'],
				'TO_PATH' => $row['TO_PATH'],
				'TO_CLASS' => $row['TO_CLASS'],
				'TO_METHOD' => $row['TO_METHOD'],
				'TO_METHOD_ARG' => $row['TO_METHOD_ARG'] != '' ? unserialize($row['TO_METHOD_ARG'], ['allowed_classes' => false]) : [],
				'VERSION' => (int)$row['VERSION'],
			];
		}

		return $handlers;
	}
}
