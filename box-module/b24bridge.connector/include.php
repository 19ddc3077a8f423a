<?php

declare(strict_types=1);

// Loaded by Loader::includeModule() once lib/ is on the autoloader (main/lib/loader.php:140-163). The module has no
// page of its own: every entry point is an event handler registered at install (see lib/Install/Installer.php).
return true;
