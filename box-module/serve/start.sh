#!/usr/bin/env bash
# Serves the b24bridge.connector module the way a box does: Debian's nginx (the appliance's mutual-TLS server block
# from docs/box-module.md, plus the box's ordinary HTTPS site) in front of php-fpm running the stub box with the
# module installed and armed. Everything lives in <workdir>, on loopback ports, in the foreground: Ctrl-C (or
# SIGTERM, or the end of the process that started it) stops nginx, php-fpm and the MariaDB it started. When ready it
# writes <workdir>/ready (shell variables: MTLS_PORT, BOX_PORT, HOST, CERTS, CREDENTIAL_FILE).
# Usage: serve/start.sh <workdir>   (B24TEST_MYSQL_SOCKET=<socket> uses that MariaDB instead of starting one)
# Optional: B24BRIDGE_APPLIANCE_DN (the appliance certificate's subject for the module's options; default the one
# certs.sh makes), B24BRIDGE_APPLIANCE_CA (a PEM file of another CA whose client certificates nginx accepts besides
# certs.sh's, e.g. the appliance's development CA), B24BRIDGE_BEHIND_URL + B24BRIDGE_BEHIND_KEY ("behind the module":
# the box's own REST methods are answered by the Java box emulator there, stubs/BoxStub/Behind.php).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 <workdir>" >&2; exit 2; }
mkdir -p "$1"
work=$(cd "$1" && pwd)
rm -f "$work/ready"
mkdir -p "$work/logs" "$work/nginx-tmp"

fpm=$(compgen -G "/usr/sbin/php-fpm*" | head -n1 || true)
[ -n "$fpm" ] || { echo "php-fpm not found (Debian package php-fpm)" >&2; exit 1; }
# shellcheck disable=SC2016 # PHP code, not shell
free_port() { php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo substr(strrchr(stream_socket_get_name($s, false), ":"), 1);'; }

pids=()
own_db=
# shellcheck disable=SC2317 # called by the traps
stop() {
	trap - INT TERM EXIT
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	if [ -n "$own_db" ]; then mariadb_stop "$work/db"; fi
}
trap stop EXIT
trap 'exit 130' INT TERM

"$here/certs.sh" "$work/certs"
# the CAs whose client certificates nginx lets through to the appliance's server block
cat "$work/certs/appliance-ca.crt" ${B24BRIDGE_APPLIANCE_CA:+"$B24BRIDGE_APPLIANCE_CA"} >"$work/certs/client-cas.pem"

# shellcheck source=mariadb.sh
source "$here/mariadb.sh"
socket=${B24TEST_MYSQL_SOCKET:-}
if [ -z "$socket" ]; then
	mariadb_start "$work/db"
	own_db=1
	socket="$work/db/mysql.sock"
fi

mtls_port=$(free_port)
box_port=$(free_port)
fpm_port=$(free_port)
rm -rf "$work/docroot"
cp -r "$here/docroot" "$work/docroot"
# "behind the module": the box's own REST methods handed on to the Java box emulator at B24BRIDGE_BEHIND_URL
behind=null
if [ -n "${B24BRIDGE_BEHIND_URL:-}" ]; then
	behind="{\"url\": \"$B24BRIDGE_BEHIND_URL\", \"key\": \"${B24BRIDGE_BEHIND_KEY:?B24BRIDGE_BEHIND_KEY goes with B24BRIDGE_BEHIND_URL}\"}"
fi
cat >"$work/served.json" <<JSON
{"socket": "$socket", "database": "b24served_$mtls_port", "moduleDir": "$root/b24bridge.connector",
 "applianceUrl": "https://10.0.0.5:9443", "applianceDn": "${B24BRIDGE_APPLIANCE_DN:-CN=b24bridge-appliance,O=b24bridge test}",
 "behind": $behind}
JSON

# a fresh box, the module installed and armed by the administrator; the credential goes to a file the appliance reads
# shellcheck disable=SC2016
php -r 'require $argv[1]; $v = BoxStub\ServedBox::reset($argv[2], ["HTTP_HOST" => $argv[3]]); file_put_contents($argv[4], $v["credential"]);' \
	"$root/stubs/bootstrap.php" "$work/docroot" "crm.example.test:$box_port" "$work/credential"
chmod 600 "$work/credential"

if [ "$(id -u)" = 0 ]; then
	user_line='user root root;'; fpm_user=$'user = root\ngroup = root'; fpm_root=(-R)
else
	user_line=''; fpm_user=''; fpm_root=()
fi
fill() {
	local template=$1 out=$2
	sed -e "s#@WORK@#$work#g" -e "s#@CERTS@#$work/certs#g" -e "s#@MTLS_PORT@#$mtls_port#g" -e "s#@BOX_PORT@#$box_port#g" \
		-e "s#@FPM_PORT@#$fpm_port#g" -e "s#@USER_LINE@#$user_line#g" "$template" >"$out"
}
fill "$here/nginx.conf.template" "$work/nginx.conf"
fill "$here/php-fpm.conf.template" "$work/php-fpm.conf"
# shellcheck disable=SC2016
FPM_USER="$fpm_user" php -r 'file_put_contents($argv[1], str_replace("@FPM_USER_LINES@", getenv("FPM_USER"), file_get_contents($argv[1])));' "$work/php-fpm.conf"

"$fpm" -F "${fpm_root[@]}" -y "$work/php-fpm.conf" &
pids+=($!)
nginx -p "$work" -c "$work/nginx.conf" -e "$work/logs/nginx-error.log" &
pids+=($!)

for _ in $(seq 1 100); do
	code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/certs/box-ca.crt" \
		--resolve "crm.example.test:$box_port:127.0.0.1" "https://crm.example.test:$box_port/rest/app.info" || true)
	[ "$code" = 401 ] && break
	sleep 0.1
done
[ "${code:-}" = 401 ] || { echo "the served box did not come up (last answer: ${code:-none}); logs in $work/logs" >&2; exit 1; }

# written whole, then renamed: a reader never sees half of it
cat >"$work/ready.tmp" <<READY
MTLS_PORT=$mtls_port
BOX_PORT=$box_port
HOST=crm.example.test
CERTS=$work/certs
CREDENTIAL_FILE=$work/credential
READY
mv "$work/ready.tmp" "$work/ready"
# whoever started this (a shell, a test, a JVM) going away stops the box too, even if it could not say so
parent=$PPID
( while kill -0 "$parent" 2>/dev/null; do sleep 1; done; kill -TERM $$ 2>/dev/null ) &
pids+=($!)
echo "box with b24bridge.connector: https://crm.example.test:$mtls_port (appliance, mutual TLS), https://crm.example.test:$box_port (box site); Ctrl-C stops"
wait -n "${pids[@]}"
echo "nginx or php-fpm stopped; logs in $work/logs" >&2
exit 1
