<?php
// The b24bridge token endpoint. Copied to /bitrix/services/b24bridge.connector/ by the module's installer.
define('NOT_CHECK_PERMISSIONS', true);
define('NO_KEEP_STATISTIC', 'Y');
define('NO_AGENT_STATISTIC', 'Y');
define('NO_AGENT_CHECK', true);
define('BX_SECURITY_SESSION_VIRTUAL', true);

require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_before.php';

if (!\Bitrix\Main\Loader::includeModule('rest') || !\Bitrix\Main\Loader::includeModule('b24bridge.connector'))
{
	http_response_code(503);
	header('Content-Type: application/json; charset=utf-8');
	echo '{"error":"MODULE_NOT_INSTALLED","error_description":"The b24bridge.connector module (or the box\'s rest module) is not installed"}';

	return;
}

\B24bridge\Connector\Http\TokenEndpoint::serve();
