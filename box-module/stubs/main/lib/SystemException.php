<?php

declare(strict_types=1);

namespace Bitrix\Main;

/** Stub of main/lib/systemexception.php. */
class SystemException extends \Exception
{
}
