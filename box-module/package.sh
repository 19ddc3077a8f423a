#!/usr/bin/env bash
# Packs the module for a box: <out>/b24bridge.connector-<version>.tar.gz holding the folder b24bridge.connector/
# (what goes into the box's local/modules/), reproducibly (sorted names, fixed owner and time), plus its .sha256.
# Usage: box-module/package.sh [out dir, default box-module/target]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/target}
mkdir -p "$out"
# the version as install/version.php gives it ('VERSION' => '1.0.0'), read without PHP: the build machine may have none
version=$(sed -n "s/^[[:space:]]*'VERSION' => '\([0-9][0-9.]*\)',.*/\1/p" "$here/b24bridge.connector/install/version.php")
[ -n "$version" ] || { echo "package.sh: no VERSION in install/version.php" >&2; exit 1; }
archive="$out/b24bridge.connector-$version.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00Z' -C "$here" -cf - b24bridge.connector \
	| gzip -n >"$archive"
(cd "$out" && sha256sum "$(basename "$archive")" >"$(basename "$archive").sha256")
echo "$archive"
