#!/usr/bin/env bash
# Proves an offline repository archive is complete: unpacks it, takes a clean copy of the sources, and runs
# ./mvnw -o verify (tests included) inside a network namespace that has only a loopback interface, with
# user.home pointing at an empty folder. Needs root (unshare -n) and iproute2 (ip).
#
#   offline-repo/verify-offline.sh ARCHIVE.tar.gz [--head|--worktree] [--quick|--all-tests]
#
#   --quick (default)  compile everything (main and test code of every module, so every dependency and
#                      plugin resolves), run a few unit tests (surefire and its JUnit provider must resolve
#                      and run) and the installer's integration test (failsafe, the jlinked bundle); leaves
#                      out the long and machine-sensitive tests (the real-Asterisk ones)
#   --all-tests        every test, as ./mvnw verify does
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
project=$(cd "$here/.." && pwd)
archive=${1:?usage: verify-offline.sh ARCHIVE.tar.gz [--head|--worktree] [--quick|--all-tests]}
shift
worktree=--head
tests=("-Dtest=SigningTest,ScriptsTest,DoctorTest,ConfigLoaderTest" "-Dsurefire.failIfNoSpecifiedTests=false")
for opt in "$@"; do
  case "$opt" in
    --head | --worktree) worktree=$opt ;;
    --quick) ;;
    --all-tests) tests=() ;;
    *) echo "verify-offline: unknown option $opt" >&2; exit 2 ;;
  esac
done
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
echo "verify-offline: ./mvnw -o clean verify ${tests[*]} in a network namespace with no route out"
# shellcheck disable=SC2016 # the inner script gets its values as arguments, expanded inside
# Inside: lo up (the tests talk to themselves over loopback), and one ethernet-like interface with no address
# and no route (Asterisk, in the testkit's tests, seeds its id from a MAC address): both ends of the veth pair
# stay in this namespace, so nothing can leave it. The proof that nothing can: no default route at all.
unshare -n bash -c '
  set -euo pipefail
  ip link set lo up
  if ip link add eth0 type veth peer name eth1 2>/dev/null; then
    ip link set eth0 up
    ip link set eth1 up
  fi
  ip -brief address   # the evidence, in the log
  if [ -n "$(ip -4 route show default)$(ip -6 route show default)" ]; then
    echo "verify-offline: the namespace has a default route: not a valid test" >&2; exit 1
  fi
  src=$1 mvnhome=$2 repo=$3 home=$4
  shift 4
  cd "$src"
  MAVEN_USER_HOME="$mvnhome" MAVEN_OPTS="-Duser.home=$home" ./mvnw -o -B -ntp -Dmaven.repo.local="$repo" clean verify "$@"
' offline "$work/src" "$mvnhome" "$repo" "$work/home" "${tests[@]}" >"$work/offline-build.log" 2>&1 \
  || { tail -n 60 "$work/offline-build.log" >&2; echo "verify-offline: the offline build FAILED (log: $work/offline-build.log)" >&2; exit 1; }
grep -E 'Tests run:.*Fail|BUILD SUCCESS|Total time' "$work/offline-build.log" | tail -n 8
echo "verify-offline: offline build passed in $(( $(date +%s) - t0 )) s"
