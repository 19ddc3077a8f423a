<?php
$MESS['B24BRIDGE_UNSTEP_DONE'] = 'The module is removed: its tables, handlers, token endpoint, local application and event bindings are gone. Remove the b24bridge lines from nginx.';
