#!/usr/bin/env bash
# Builds the Debian sid root the tests run Asterisk 22 from (Debian 12 has no Asterisk package):
#   testkit/asterisk/build-root.sh [DIR]        DIR defaults to /var/cache/b24bridge/asterisk-root
# Idempotent: a root that already has its packages is a no-op in well under a second. Needs root and the
# network (the Debian mirror this machine's apt uses, or B24TEST_DEBIAN_MIRROR); installs debootstrap
# when missing. A build takes about a minute and ~500 MB. See docs/asterisk/README.md.
set -euo pipefail

dir=${1:-/var/cache/b24bridge/asterisk-root}
dir=${dir%/}
# asterisk-core-sounds-en comes with asterisk (the transfer prompts); nothing else is needed
packages=(asterisk asterisk-modules)

[ "$(id -u)" -eq 0 ] || { echo "build-root.sh: needs root (debootstrap, chroot)" >&2; exit 1; }

ready() {
  [ -x "$1/usr/sbin/asterisk" ] || return 1
  local status
  status=$(chroot "$1" dpkg-query -W -f='${Status}\n' "${packages[@]}" 2>/dev/null) || return 1
  [ "$(grep -c '^install ok installed$' <<<"$status")" -eq "${#packages[@]}" ]
}

# a mounted /proc or /dev inside a root must never meet rm -rf
mounted_under() {
  awk -v d="$1" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo
}

if ready "$dir"; then
  echo "asterisk root ready: $dir ($(chroot "$dir" /usr/sbin/asterisk -V))"
  exit 0
fi

mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9                       # one build at a time; the second waiter finds the root ready
if ready "$dir"; then
  echo "asterisk root ready: $dir ($(chroot "$dir" /usr/sbin/asterisk -V))"
  exit 0
fi

if ! command -v debootstrap >/dev/null; then
  echo "build-root.sh: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

mirror=${B24TEST_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then         # deb822 sources first (Debian 12's default), then the one-line format
  mirror=$(grep -rhs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -m1 -E '/debian/?$' || true)
fi
if [ -z "$mirror" ]; then
  mirror=$(grep -hs -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' \
           | grep -m1 -E '/debian/?$' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

for d in "$dir" "$dir.partial"; do
  if mounted_under "$d"; then
    echo "build-root.sh: something is mounted under $d; unmount it first (never deleting a mounted root)" >&2
    exit 1
  fi
done
rm -rf "$dir.partial"
start=$(date +%s)
echo "build-root.sh: debootstrap sid from $mirror into $dir (about a minute)"
debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" sid "$dir.partial" "$mirror"
# the instances start from files the tests write; the package's own services never run here
ready "$dir.partial" || { echo "build-root.sh: the new root lacks ${packages[*]}" >&2; exit 1; }
if [ -e "$dir" ]; then          # an unusable earlier root (partial, or without asterisk-modules)
  rm -rf "$dir"
fi
mv "$dir.partial" "$dir"
echo "asterisk root ready: $dir ($(chroot "$dir" /usr/sbin/asterisk -V)) in $(( $(date +%s) - start )) s"
