<?php
$MESS['B24BRIDGE_MODULE_NAME'] = 'b24bridge connector';
$MESS['B24BRIDGE_MODULE_DESCRIPTION'] = 'Links the box to the b24bridge telephony appliance inside the local network: tokens and events for the b24bridge application without the Bitrix24 cloud.';
$MESS['B24BRIDGE_INSTALL_TITLE'] = 'Installing the b24bridge connector';
$MESS['B24BRIDGE_UNINSTALL_TITLE'] = 'Removing the b24bridge connector';
$MESS['B24BRIDGE_INSTALL_FAILED'] = 'The b24bridge connector could not be installed and was rolled back:';
