#!/usr/bin/env bash
# Benchmarks of the box module on the served box (prints numbers; not a test): what a box page pays for an event of
# the application with the appliance up and down, and the click → appliance latency of the long poll.
# Usage: bench/run.sh [clicks=300] [events=200]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
clicks=${1:-300}
events=${2:-200}
work=$(mktemp -d /tmp/b24box-bench.XXXXXX)
"$here/../serve/start.sh" "$work" >"$work/start.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
	[ -f "$work/ready" ] && break
	kill -0 "$server" 2>/dev/null || { cat "$work/start.log" >&2; exit 1; }
	sleep 0.1
done
[ -f "$work/ready" ] || { echo "served box not ready" >&2; exit 1; }
echo "box-module bench: $(nproc) cores, $(php -r 'echo PHP_VERSION;'), $(mariadbd --version | grep -o '[0-9.]*-MariaDB' | head -n1)"
php "$here/enqueue-cost.php" "$work" "$clicks" down
php "$here/enqueue-cost.php" "$work" "$clicks" up
php "$here/delivery-latency.php" "$work" "$events"
