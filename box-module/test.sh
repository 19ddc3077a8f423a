#!/usr/bin/env bash
# The box module's tests: the PHPUnit suite on a throwaway MariaDB, then the module served like a box (Debian's nginx
# with mutual TLS + php-fpm) and exercised over real HTTPS. Exits non-zero on any failure, and when a tool the tests
# need is missing: a machine that cannot run them fails instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 (Debian package $2)"); }
need php php-cli
need phpunit phpunit
need mariadbd mariadb-server
need mariadb-install-db mariadb-server
need nginx nginx
need openssl openssl
need curl curl
compgen -G "/usr/sbin/php-fpm*" >/dev/null || missing+=("php-fpm (Debian package php-fpm)")
modules=$(php -m 2>/dev/null || true)
for ext in pdo_mysql curl mbstring; do
	grep -qx "$ext" <<<"$modules" || missing+=("PHP extension $ext (Debian package php-${ext/pdo_/})")
done
if [ ${#missing[@]} -gt 0 ]; then
	printf 'box-module/test.sh: cannot run, missing: %s\n' "${missing[@]}" >&2
	exit 1
fi

work=$(mktemp -d /tmp/b24box-test.XXXXXX)
# shellcheck source=serve/mariadb.sh
source serve/mariadb.sh
cleanup() { mariadb_stop "$work/db"; rm -rf "$work"; }
trap cleanup EXIT

mariadb_start "$work/db"
export B24TEST_MYSQL_SOCKET="$work/db/mysql.sock"

echo "box-module: PHPUnit suite"
phpunit -c phpunit.xml

echo "box-module: served box (nginx mutual TLS + php-fpm) over real HTTPS"
serve/scenario.sh "$work/served"
echo "box-module: all tests passed"
