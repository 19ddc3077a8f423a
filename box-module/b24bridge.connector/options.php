<?php

declare(strict_types=1);
/**
 * The module's options page (/bitrix/admin/settings.php?mid=b24bridge.connector), pattern of rest/options.php:1-30.
 * @var CMain $APPLICATION
 */

use B24bridge\Connector\Admin\OptionsController;
use B24bridge\Connector\Install\Installer;
use B24bridge\Connector\Module;
use B24bridge\Connector\Settings;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

$module_id = 'b24bridge.connector';
if (!Loader::includeModule($module_id))
{
	return;
}
Loc::loadMessages(__FILE__);
$right = $APPLICATION->GetGroupRight($module_id);
if ($right < 'R')
{
	echo htmlspecialcharsbx(Loc::getMessage('B24BRIDGE_OPT_NO_RIGHTS'));

	return;
}

$view = (new OptionsController(new Installer(__DIR__)))->handle($_REQUEST, (string)($_SERVER['REQUEST_METHOD'] ?? 'GET'), $right);
$s = $view->settings;
$status = $view->status;
$h = static fn($v): string => htmlspecialcharsbx((string)$v);
$m = static fn(string $code): string => htmlspecialcharsbx((string)Loc::getMessage($code));
?>
<div class="b24bridge-options">
<?php foreach ($view->errors as $error): ?>
	<p class="b24bridge-error" style="color:#b00"><?= $h($error) ?></p>
<?php endforeach; ?>
<?php foreach ($view->notes as $note): ?>
	<p class="b24bridge-note"><?= $h($note) ?></p>
<?php endforeach; ?>
<?php if ($view->newCredential !== null): ?>
	<p><?= $m('B24BRIDGE_OPT_CREDENTIAL_ONCE') ?></p>
	<pre id="b24bridge-credential"><?= $h($view->newCredential) ?></pre>
<?php endif; ?>

<h3><?= $m('B24BRIDGE_OPT_STATE') ?></h3>
<table class="adm-detail-content-table">
	<tr><td><?= $m('B24BRIDGE_OPT_STATE') ?></td><td id="b24bridge-state"><?= $m('B24BRIDGE_STATE_' . strtoupper($status['state'])) ?></td></tr>
	<tr><td><?= $m('B24BRIDGE_OPT_VERSION') ?></td><td><?= $h($status['version']) ?></td></tr>
	<tr><td><?= $m('B24BRIDGE_OPT_CLIENT_ID') ?></td><td><code><?= $h(Module::CLIENT_ID) ?></code></td></tr>
	<tr><td><?= $m('B24BRIDGE_OPT_QUEUE_DEPTH') ?></td><td id="b24bridge-queue-depth"><?= $h($status['queue_depth']) ?></td></tr>
	<tr><td><?= $m('B24BRIDGE_OPT_OLDEST') ?></td><td id="b24bridge-oldest"><?= $status['oldest_undelivered'] === null ? '—'
		: $h($status['oldest_undelivered']['event'] . ' #' . $status['oldest_undelivered']['id'] . ', ' . $status['oldest_undelivered']['age_seconds'] . ' s') ?></td></tr>
	<tr><td><?= $m('B24BRIDGE_OPT_LAST_PULL') ?></td><td><?= $h($status['last_pull_at'] ?? '—') ?></td></tr>
</table>

<h3><?= $m('B24BRIDGE_OPT_APPLIANCE') ?></h3>
<form method="post" action="<?= $h($APPLICATION->GetCurPage()) ?>?mid=<?= $h($module_id) ?>&amp;lang=<?= $h(LANGUAGE_ID) ?>">
	<?= bitrix_sessid_post() ?>
	<table class="adm-detail-content-table">
		<tr><td><label for="appliance_url"><?= $m('B24BRIDGE_OPT_URL') ?></label></td>
			<td><input type="text" size="50" id="appliance_url" name="appliance_url" value="<?= $h($s->applianceUrl) ?>" placeholder="https://10.0.0.5:9443"></td></tr>
		<tr><td><label for="appliance_dn"><?= $m('B24BRIDGE_OPT_DN') ?></label></td>
			<td><input type="text" size="50" id="appliance_dn" name="appliance_dn" value="<?= $h($s->applianceDn) ?>" placeholder="CN=b24bridge-appliance,O=Example"></td></tr>
		<tr><td><label for="identity_source"><?= $m('B24BRIDGE_OPT_IDENTITY') ?></label></td>
			<td><select id="identity_source" name="identity_source">
				<option value="<?= Settings::IDENTITY_FASTCGI ?>"<?= $s->identitySource === Settings::IDENTITY_FASTCGI ? ' selected' : '' ?>><?= $m('B24BRIDGE_OPT_IDENTITY_FASTCGI') ?></option>
				<option value="<?= Settings::IDENTITY_HEADER ?>"<?= $s->identitySource === Settings::IDENTITY_HEADER ? ' selected' : '' ?>><?= $m('B24BRIDGE_OPT_IDENTITY_HEADER') ?></option>
			</select></td></tr>
		<tr><td><label for="user_id"><?= $m('B24BRIDGE_OPT_USER') ?></label></td>
			<td><input type="text" size="6" id="user_id" name="user_id" value="<?= $h($s->userId) ?>"></td></tr>
	</table>
	<button type="submit" name="action" value="save"><?= $m('B24BRIDGE_OPT_SAVE') ?></button>
	<?php if ($s->armed): ?>
		<button type="submit" name="action" value="disarm"><?= $m('B24BRIDGE_OPT_DISARM') ?></button>
	<?php else: ?>
		<button type="submit" name="action" value="arm"><?= $m('B24BRIDGE_OPT_ARM') ?></button>
	<?php endif; ?>
	<button type="submit" name="action" value="credential"><?= $m('B24BRIDGE_OPT_CREDENTIAL') ?></button>
</form>

<h3><?= $m('B24BRIDGE_OPT_NGINX') ?></h3>
<pre id="b24bridge-nginx"><?= $h($view->nginxSnippet) ?></pre>
</div>
