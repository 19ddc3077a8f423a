<?php
$MESS['B24BRIDGE_OPT_DENIED'] = 'Not enough rights to change the b24bridge connector, or the form has expired: reload the page.';
$MESS['B24BRIDGE_OPT_SAVED'] = 'Saved.';
$MESS['B24BRIDGE_OPT_ARMED'] = 'Armed: the events are bound and the install event is queued for the appliance.';
$MESS['B24BRIDGE_OPT_DISARMED'] = 'Disarmed: events unbound, the module\'s tokens revoked. Queued events are kept.';
$MESS['B24BRIDGE_OPT_NEW_CREDENTIAL'] = 'A new credential is issued; the previous one no longer works.';
$MESS['B24BRIDGE_OPT_UNKNOWN_ACTION'] = 'Unknown action.';
