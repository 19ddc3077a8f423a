<?php
use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);
?>
<p><?= htmlspecialcharsbx(Loc::getMessage('B24BRIDGE_UNSTEP_DONE')) ?></p>
