# shellcheck shell=bash
# shellcheck disable=SC2034 # the paths are used by the scripts that source this file
# Shared by install.sh, upgrade.sh, uninstall.sh and bin/b24bridge-service: the installed layout and small
# helpers. Every path is under $DESTDIR (empty on a real machine, a temporary root in tests and for packagers).
#
# Our own settings never use B24BRIDGE_* names: those are configuration keys of the appliance, and an
# unknown one stops its start.

DESTDIR="${DESTDIR:-}"
DESTDIR="${DESTDIR%/}"
OPT_DIR="$DESTDIR/opt/b24bridge"
ETC_DIR="$DESTDIR/etc/b24bridge"
STATE_DIR="$DESTDIR/var/lib/b24bridge"
LOG_DIR="$DESTDIR/var/log/b24bridge"
UNIT_FILE="$DESTDIR/etc/systemd/system/b24bridge.service"
LOGROTATE_FILE="$DESTDIR/etc/logrotate.d/b24bridge"
BIN_DIR="$DESTDIR/usr/local/bin"
CONFIG_FILE="$ETC_DIR/b24bridge.yaml"
PINNED_KEY="$ETC_DIR/release-key.pem"
# root's own places: root never writes to, or signals through, a file the service's user could have planted
# (a link in /var/lib/b24bridge or /var/log/b24bridge, which that user owns)
RUN_DIR="$DESTDIR/run/b24bridge"
PID_FILE="$RUN_DIR/b24bridge.pid"
UPGRADE_LOG="$DESTDIR/var/log/b24bridge-upgrade.log"
SERVICE_USER=b24bridge
SERVICE=b24bridge

say() { printf '%s: %s\n' "${PROG:-b24bridge}" "$*"; }
warn() { printf '%s: %s\n' "${PROG:-b24bridge}" "$*" >&2; }
die() { warn "$*"; exit 1; }

# The version a bundle folder holds (its RELEASE file).
release_version() {
  sed -n 's/^version=//p' "$1/RELEASE"
}

# True when $1 is an older version than $2 (by sort -V): an upgrade to it is a downgrade.
version_older() {
  [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}

# Whether the process $1 is this installation's appliance (its java runs b24bridge-appliance.jar): a pid file is
# only believed when it names one, so nothing else is ever signalled.
is_appliance_pid() {
  local pid=$1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'b24bridge-appliance\.jar'
}

# Runs the installer's Java tool of a version folder with that folder's own runtime.
installer_tool() {
  local vdir=$1
  shift
  "$vdir/runtime/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -cp "$vdir/tools/b24bridge-installer.jar:$vdir/tools/libs/*:$vdir/app/b24bridge-appliance.jar" \
    io.b24bridge.installer.BundleTool "$@"
}

# systemd is used unless --no-systemd was given, a DESTDIR is set, or the machine does not run systemd.
systemd_wanted() {
  [ "${NO_SYSTEMD:-0}" = 1 ] && return 1
  [ -n "$DESTDIR" ] && return 1
  command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]
}

is_root() { [ "$(id -u)" = 0 ]; }

# True when files should be given to the service user (a real installation run by root).
owning() { is_root && [ -z "$DESTDIR" ]; }

service_running() {
  if systemd_wanted; then
    systemctl is-active --quiet "$SERVICE"
  else
    "$1/bin/b24bridge-service" status >/dev/null 2>&1
  fi
}

service_stop() {
  if systemd_wanted; then
    systemctl stop "$SERVICE"
  else
    "$1/bin/b24bridge-service" stop
  fi
}

service_start() {
  if systemd_wanted; then
    systemctl start "$SERVICE"
  else
    "$1/bin/b24bridge-service" start
  fi
}

# Exports the variables of the installation's environment file (what systemd's EnvironmentFile gives the
# service) that are not set already, so commands run by hand or by the scripts see the same ports and
# overrides as the service. Lines are NAME=value; no quotes, no shell syntax.
load_env_file() {
  local file="$ETC_DIR/b24bridge.env" line name
  [ -r "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    name=${line%%=*}
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    [ -n "${!name+x}" ] || export "$name=${line#*=}"
  done <"$file"
}

# Waits until /health of the running appliance is healthy and reports version $2; $1 = version folder whose
# tool asks. Without systemd the pid file lets it give up as soon as the process has died.
wait_healthy() {
  local vdir=$1 version=$2 timeout=$3
  local extra=()
  systemd_wanted || extra=(--pid-file "$PID_FILE")
  load_env_file
  installer_tool "$vdir" wait-healthy --config "$CONFIG_FILE" --timeout "$timeout" --expect-version "$version" "${extra[@]}"
}

# Puts the systemd unit and logrotate file of a version folder in place.
install_system_files() {
  local vdir=$1
  mkdir -p "$(dirname "$UNIT_FILE")" "$(dirname "$LOGROTATE_FILE")"
  install -m 0644 "$vdir/share/systemd/b24bridge.service" "$UNIT_FILE"
  install -m 0644 "$vdir/share/logrotate/b24bridge" "$LOGROTATE_FILE"
  if systemd_wanted; then
    systemctl daemon-reload
  fi
}

# Points $OPT_DIR/current at a version folder in one rename, so no moment exists without a current version.
switch_current() {
  ln -sfn "$1" "$OPT_DIR/.current.new"
  mv -T "$OPT_DIR/.current.new" "$OPT_DIR/current"
}
