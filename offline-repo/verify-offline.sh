#!/usr/bin/env bash
# Proves an offline repository archive is complete: unpacks it, takes a clean copy of the sources, and runs
# ./mvnw -o verify (tests included) inside a network namespace that has only a loopback interface, with
# user.home pointing at an empty folder. Needs root (unshare -n) and iproute2 (ip).
#
#   offline-repo/verify-offline.sh ARCHIVE.tar.gz [--worktree]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
project=$(cd "$here/.." && pwd)
archive=${1:?usage: verify-offline.sh ARCHIVE.tar.gz [--worktree|--head]}
worktree=${2:---head}
archive=$(readlink -f "$archive")
t0=$(date +%s)

work="$(dirname "$archive")/offline-verify"
rm -rf "$work"
mkdir -p "$work/src" "$work/home"
tar -xzf "$archive" -C "$work"
if [ "$worktree" != --worktree ] && git -C "$project" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$project" archive HEAD | tar -x -C "$work/src"
else
  tar -C "$project" --exclude='./.git' --exclude='*/target' --exclude='./sandbox' -cf - . | tar -x -C "$work/src"
fi

repo="$work/b24bridge-offline-repo/m2"
mvnhome="$work/b24bridge-offline-repo/maven-user-home"
echo "verify-offline: ./mvnw -o verify in a network namespace with no route out"
# shellcheck disable=SC2016 # the inner script gets its values as arguments, expanded inside
# inside: only lo, brought up (the tests talk to themselves over loopback); proof there is no way out first
unshare -n bash -c '
  set -euo pipefail
  ip link set lo up
  ip -brief address   # the evidence, in the log: lo only
  if getent hosts repo.maven.apache.org >/dev/null 2>&1 && timeout 3 bash -c "exec 3<>/dev/tcp/repo.maven.apache.org/443" 2>/dev/null; then
    echo "verify-offline: the namespace can reach the network: not a valid test" >&2; exit 1
  fi
  cd "$1"
  MAVEN_USER_HOME="$2" MAVEN_OPTS="-Duser.home=$4" ./mvnw -o -B -ntp -Dmaven.repo.local="$3" clean verify
' offline "$work/src" "$mvnhome" "$repo" "$work/home" >"$work/offline-build.log" 2>&1 \
  || { tail -n 60 "$work/offline-build.log" >&2; echo "verify-offline: the offline build FAILED (log: $work/offline-build.log)" >&2; exit 1; }
grep -E 'Tests run:.*Fail|BUILD SUCCESS|Total time' "$work/offline-build.log" | tail -n 8
echo "verify-offline: offline build passed in $(( $(date +%s) - t0 )) s"
