<?php
$MESS['B24BRIDGE_MODULE_NAME'] = 'Коннектор b24bridge';
$MESS['B24BRIDGE_MODULE_DESCRIPTION'] = 'Связывает коробку с телефонным шлюзом b24bridge внутри локальной сети: токены и события приложения b24bridge без облака Битрикс24.';
$MESS['B24BRIDGE_INSTALL_TITLE'] = 'Установка коннектора b24bridge';
$MESS['B24BRIDGE_UNINSTALL_TITLE'] = 'Удаление коннектора b24bridge';
$MESS['B24BRIDGE_INSTALL_FAILED'] = 'Коннектор b24bridge установить не удалось, установка отменена:';
