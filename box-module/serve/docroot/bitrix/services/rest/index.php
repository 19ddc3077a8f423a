<?php
// The stub box's /rest/ entry point (the box's is /bitrix/services/rest/index.php with bitrix:rest.provider).
define('NOT_CHECK_PERMISSIONS', true);
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_before.php';
\BoxStub\FrontController::serveRest();
