<?php
// Renders the options page in a box whose language is Russian (LANGUAGE_ID is fixed per PHP process).
declare(strict_types=1);

define('LANGUAGE_ID', 'ru');
require __DIR__ . '/../../stubs/bootstrap.php';
$box = \BoxStub\Box::open($argv[1]);
echo $box->optionsPage();
