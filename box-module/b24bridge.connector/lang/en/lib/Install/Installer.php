<?php
$MESS['B24BRIDGE_ARM_BAD_URL'] = 'The appliance address must be an http(s) URL whose host contains a dot (for example https://10.0.0.5:9443): the box refuses other handler URLs.';
$MESS['B24BRIDGE_ARM_NO_DN'] = 'Enter the subject of the appliance\'s client certificate.';
$MESS['B24BRIDGE_ARM_NO_CREDENTIAL'] = 'Issue the appliance\'s credential first.';
$MESS['B24BRIDGE_ARM_NO_USER'] = 'Choose the user the appliance acts as.';
$MESS['B24BRIDGE_ARM_NO_PROXY_KEY'] = 'Identity through proxy headers needs the proxy key: reinstall the module.';
