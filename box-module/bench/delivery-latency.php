<?php

declare(strict_types=1);

/*
 * Click-to-appliance latency on the served box, box processing excluded: a clicker process makes real click hits
 * (php-fpm, POST /_stub/box.php on the box's site) at random intervals; the appliance loop long-polls over the
 * mutual-TLS server and acknowledges. Measured per event: from the moment its row was queued (queued_at, written by
 * the box right after the click's response) to the moment the appliance loop holds the pull answer.
 * Usage: php delivery-latency.php <served dir> <events>
 */

require __DIR__ . '/Stats.php';
require __DIR__ . '/ApplianceLoop.php';

[, $served, $count] = $argv;
$count = (int)$count;
$ready = parse_ini_file($served . '/ready');
$loop = new ApplianceLoop($ready);
while (($stale = $loop->pull(0)) !== [])
{
	$loop->ack(end($stale)['id']);
}

$clicker = pcntl_fork();
if ($clicker === 0)
{
	$curl = curl_init();
	$hits = [];
	for ($i = 0; $i < $count; $i++)
	{
		usleep(random_int(50_000, 250_000));
		curl_setopt_array($curl, [
			CURLOPT_URL => 'https://' . $ready['HOST'] . ':' . $ready['BOX_PORT'] . '/_stub/box.php',
			CURLOPT_POST => true,
			CURLOPT_POSTFIELDS => http_build_query(['action' => 'click', 'user' => 2, 'number' => sprintf('+7903%07d', $i)]),
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_RESOLVE => [$ready['HOST'] . ':' . $ready['BOX_PORT'] . ':127.0.0.1'],
			CURLOPT_CAINFO => $ready['CERTS'] . '/box-ca.crt',
		]);
		$t0 = hrtime(true);
		curl_exec($curl);
		$hits[] = (hrtime(true) - $t0) / 1e6;
	}
	echo Stats::line('click hit as the user\'s browser sees it (HTTPS, php-fpm)', $hits), "\n";
	exit(0);
}

$latency = [];
while (count($latency) < $count)
{
	$events = $loop->pull(25);
	$received = microtime(true);
	foreach ($events as $event)
	{
		$queued = DateTimeImmutable::createFromFormat('Y-m-d\TH:i:s.v\Z', $event['queued_at'], new DateTimeZone('UTC'));
		$latency[] = ($received - (float)$queued->format('U.u')) * 1000;
	}
	if ($events !== [])
	{
		$loop->ack(end($events)['id']);
	}
}
pcntl_waitpid($clicker, $status);
echo Stats::line('queued → in the appliance\'s hands (long poll, mutual TLS)', $latency), "\n";
