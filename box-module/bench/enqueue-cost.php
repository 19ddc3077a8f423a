<?php

declare(strict_types=1);

/*
 * What the module adds to a box page that raises an event for the application: a user's click hit runs in this
 * process on the served box's database (as a php-fpm worker would); timed are the click itself (registration, the
 * REST event machinery, up to the response) and, separately, the after-response job in which the box hands the event
 * to a provider – with the module, its INSERT into the queue. Run once with nobody pulling (appliance down) and
 * once with an appliance loop long-polling and acknowledging over HTTPS (appliance up), or with the real appliance
 * pulling, started by whoever runs this (external: the appliance's ModuleDeliveryBench).
 * Also timed: the module's validator on a REST request that is not its own (every other application's calls).
 * Usage: php enqueue-cost.php <served dir> <clicks> <up|down|external>
 */

require __DIR__ . '/../stubs/bootstrap.php';
require __DIR__ . '/Stats.php';
require __DIR__ . '/ApplianceLoop.php';

[, $served, $clicks, $appliance] = $argv;
$ready = parse_ini_file($served . '/ready');
$box = BoxStub\Box::open($served . '/docroot', ['HTTP_HOST' => 'crm.example.test']);

$poller = null;
if ($appliance === 'up')
{
	$poller = pcntl_fork();
	if ($poller === 0)
	{
		$loop = new ApplianceLoop($ready);
		while (true)
		{
			$events = $loop->pull(25);
			if ($events !== [])
			{
				$loop->ack(end($events)['id']);
			}
		}
	}
}

$hit = [];
$job = [];
for ($i = 0; $i < (int)$clicks; $i++)
{
	$box->newHit();
	$box->loginAs(BoxStub\Box::MANAGER);
	$t0 = hrtime(true);
	$error = Bitrix\Voximplant\Rest\Helper::startCall(sprintf('+7916%07d', $i), BoxStub\Box::MANAGER);
	$t1 = hrtime(true);
	Bitrix\Main\Application::getInstance()->terminate(); // Sender::send → the provider
	$t2 = hrtime(true);
	if ($error !== null)
	{
		throw new RuntimeException('click failed: ' . $error);
	}
	$hit[] = ($t1 - $t0) / 1e6;
	$job[] = ($t2 - $t1) / 1e6;
}

$validator = [];
Bitrix\Main\Loader::includeModule('b24bridge.connector');
for ($i = 0; $i < 2000; $i++)
{
	$res = [];
	$t0 = hrtime(true);
	$answer = B24bridge\Connector\Auth\RestAuth::onRestCheckAuth(['auth' => 'e0c4b2d15f0047a7a6f0a3a5d1b2c3d4'], 'telephony', $res);
	$validator[] = (hrtime(true) - $t0) / 1e6;
	if ($answer !== null)
	{
		throw new RuntimeException('the validator claimed another application\'s token');
	}
}

if ($poller !== null)
{
	posix_kill($poller, SIGTERM);
	pcntl_waitpid($poller, $status);
}
echo Stats::line("click hit up to the response (appliance $appliance)", $hit), "\n";
echo Stats::line("after-response event job = module's enqueue (appliance $appliance)", $job), "\n";
echo Stats::line('module validator on another app\'s REST request', $validator), "\n";
