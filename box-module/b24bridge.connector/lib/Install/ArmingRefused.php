<?php

declare(strict_types=1);

namespace B24bridge\Connector\Install;

/** Arming needs settings that are missing or wrong: the list says which, in the administrator's language. */
final class ArmingRefused extends \RuntimeException
{
	/** @param list<string> $problems */
	public function __construct(public readonly array $problems)
	{
		parent::__construct(implode('; ', $problems));
	}
}
