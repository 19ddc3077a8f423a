<?php
/** @var CMain $APPLICATION */
use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);
$credential = (string)($GLOBALS['B24BRIDGE_NEW_CREDENTIAL'] ?? '');
unset($GLOBALS['B24BRIDGE_NEW_CREDENTIAL']);
?>
<p><?= htmlspecialcharsbx(Loc::getMessage('B24BRIDGE_STEP_INSTALLED')) ?></p>
<p><?= htmlspecialcharsbx(Loc::getMessage('B24BRIDGE_STEP_CREDENTIAL')) ?></p>
<pre id="b24bridge-credential"><?= htmlspecialcharsbx($credential) ?></pre>
<p><?= htmlspecialcharsbx(Loc::getMessage('B24BRIDGE_STEP_NEXT')) ?></p>
<p><a href="/bitrix/admin/settings.php?mid=b24bridge.connector"><?= htmlspecialcharsbx(Loc::getMessage('B24BRIDGE_STEP_OPTIONS')) ?></a></p>
