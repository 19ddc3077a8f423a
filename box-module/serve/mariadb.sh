# shellcheck shell=bash
# A throwaway MariaDB for the stub box: data, socket and log under the directory given, no TCP port, foreground
# process in the background of the calling script. Source this file, then: mariadb_start <dir>; mariadb_stop <dir>.

mariadb_start() {
	local dir=$1
	mkdir -p "$dir"
	if ! mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" --auth-root-authentication-method=normal \
		--skip-test-db >"$dir/install.log" 2>&1; then
		echo "mariadb-install-db failed:" >&2; cat "$dir/install.log" >&2; return 1
	fi
	mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysql.sock" --skip-networking --user="$(id -un)" \
		--pid-file="$dir/mariadb.pid" --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
		--innodb-flush-log-at-trx-commit=1 --log-error="$dir/mariadb.log" &

	for _ in $(seq 1 100); do
		if mariadb --no-defaults -S "$dir/mysql.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	echo "MariaDB did not come up in 10 s:" >&2; cat "$dir/mariadb.log" >&2; return 1
}

mariadb_stop() {
	local dir=$1
	if [ -f "$dir/mariadb.pid" ]; then
		local pid
		pid=$(cat "$dir/mariadb.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || return 0
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
}
