<?php
// The stub box's user/administrator actions and its reset; served on the box's ordinary port only.
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_before.php';
\BoxStub\ServedBox::serve();
