<?php
// Defaults read by Option::get when nothing is stored (main/lib/config/option.php:121-150).
$b24bridge_connector_default_option = [
	'identity_source' => 'fastcgi',
	'armed' => 'N',
];
