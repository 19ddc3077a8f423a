<?php

declare(strict_types=1);

// The suite runs the module on the stub box over a real MariaDB; test.sh starts one and names its socket here.
require __DIR__ . '/../stubs/bootstrap.php';

$socket = getenv('B24TEST_MYSQL_SOCKET');
if ($socket === false || $socket === '' || !file_exists($socket))
{
	fwrite(STDERR, "B24TEST_MYSQL_SOCKET does not name a MariaDB socket: run box-module/test.sh, which starts one\n");
	exit(2);
}

spl_autoload_register(static function (string $class): void {
	if (str_starts_with($class, 'B24bridge\\Tests\\'))
	{
		require __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen('B24bridge\\Tests\\'))) . '.php';
	}
});
