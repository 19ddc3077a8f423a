<?php

declare(strict_types=1);

namespace B24bridge\Connector\Admin;

use B24bridge\Connector\Settings;

/** What the options page shows after handling a request. */
final class OptionsView
{
	/** @param list<string> $errors @param list<string> $notes */
	public function __construct(
		public readonly Settings $settings,
		public readonly array $status,
		public readonly array $errors,
		public readonly array $notes,
		public readonly ?string $newCredential,
		public readonly string $nginxSnippet,
	)
	{
	}
}
