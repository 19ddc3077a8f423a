<?php

namespace Bitrix\Rest\Event;

/** rest/lib/event/providerinterface.php:6 – the event provider gets the whole batch of queue items. */
interface ProviderInterface
{
	public function send(array $queryData);
}
