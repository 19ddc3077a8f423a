<?php

declare(strict_types=1);

// The served-box tests talk HTTPS only; serve/scenario.sh starts the box and names its folder.
$dir = getenv('B24TEST_SERVED_DIR');
if ($dir === false || !is_file($dir . '/ready'))
{
	fwrite(STDERR, "B24TEST_SERVED_DIR does not name a served box: run box-module/serve/scenario.sh\n");
	exit(2);
}

spl_autoload_register(static function (string $class): void {
	if (str_starts_with($class, 'B24bridge\\Tests\\'))
	{
		require __DIR__ . '/../tests/' . str_replace('\\', '/', substr($class, strlen('B24bridge\\Tests\\'))) . '.php';
	}
});
