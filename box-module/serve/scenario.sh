#!/usr/bin/env bash
# Starts the served box (start.sh) and runs tests-served/ against it over real HTTPS; stops it afterwards.
# Usage: serve/scenario.sh <workdir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1
mkdir -p "$work"
rm -f "$work/ready"
"$here/start.sh" "$work" >"$work/start.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
	[ -f "$work/ready" ] && break
	kill -0 "$server" 2>/dev/null || { cat "$work/start.log" >&2; exit 1; }
	sleep 0.1
done
[ -f "$work/ready" ] || { echo "served box not ready in 60 s" >&2; cat "$work/start.log" >&2; exit 1; }
B24TEST_SERVED_DIR=$(cd "$work" && pwd) phpunit -c "$here/../phpunit-served.xml"
