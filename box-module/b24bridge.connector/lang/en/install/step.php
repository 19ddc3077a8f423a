<?php
$MESS['B24BRIDGE_STEP_INSTALLED'] = 'The module is installed. The local application "b24bridge" is registered; it receives nothing until the module is armed.';
$MESS['B24BRIDGE_STEP_CREDENTIAL'] = 'The appliance\'s credential is shown below this once. Put it into the appliance\'s secret file (bitrix24.module.credential-file); the box keeps only its hash.';
$MESS['B24BRIDGE_STEP_NEXT'] = 'Next: on the module\'s options page enter the appliance\'s address and certificate subject, add the nginx lines shown there, and arm the module.';
$MESS['B24BRIDGE_STEP_OPTIONS'] = 'Open the module\'s options';
