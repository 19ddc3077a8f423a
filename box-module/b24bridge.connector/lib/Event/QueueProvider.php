<?php

declare(strict_types=1);

namespace B24bridge\Connector\Event;

use B24bridge\Connector\Module;
use Bitrix\Rest\Event\ProviderInterface;
use Bitrix\Rest\Event\Sender;

/**
 * The box's event provider while the module is installed. The box's Sender hands every online event of a hit to one
 * provider, once, after the response (rest/lib/event/sender.php:327-347,406-425); the default one passes them all to
 * the Bitrix cloud (provideroauth.php:27-87), which a closed box cannot reach. This provider takes the b24bridge
 * application's items into the module's queue and passes every other item, unchanged, to the provider it wraps –
 * other applications keep Bitrix's normal path.
 *
 * Installed on rest:onEventManagerInitialize, which Sender fires once per hit before asking for a provider
 * (sender.php:358-381,432-441); at that point Sender::getProvider() already returns the provider that would
 * otherwise be used, which is the one wrapped.
 */
final class QueueProvider implements ProviderInterface
{
	public function __construct(private readonly ProviderInterface $others, private readonly EventQueue $queue)
	{
	}

	public static function onEventManagerInitialize(mixed $event = null): void
	{
		Sender::setProvider(new self(Sender::getProvider(), new EventQueue()));
	}

	public function send(array $queryData)
	{
		$ours = [];
		$others = [];
		foreach ($queryData as $item)
		{
			if (($item['client_id'] ?? null) === Module::CLIENT_ID)
			{
				$ours[] = QueuedEvent::fromQueueItem($item);
			}
			else
			{
				$others[] = $item;
			}
		}
		try
		{
			// first: the other provider may block for its network timeouts on a closed box
			$this->queue->enqueue($ours);
		}
		finally
		{
			if ($others !== [])
			{
				$this->others->send($others);
			}
		}
	}
}
