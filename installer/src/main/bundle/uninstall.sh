#!/usr/bin/env bash
# Removes b24bridge: the service, the programs (/opt/b24bridge), the unit, logrotate and command links.
# Configuration (/etc/b24bridge), data with its backups (/var/lib/b24bridge) and logs stay, unless --purge.
#
#   uninstall.sh [--purge] [--no-systemd]
#
#   --purge           also delete /etc/b24bridge, /var/lib/b24bridge, /var/log/b24bridge and the b24bridge user
#   --no-systemd      stop the process with bin/b24bridge-service instead of systemctl
#   DESTDIR=/root     uninstall from a temporary root (tests)
set -euo pipefail
self=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
PROG=uninstall.sh
# shellcheck source=lib/common.sh
. "$self/lib/common.sh"

main() {
  local purge=0
  NO_SYSTEMD=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --purge) purge=1; shift ;;
      --no-systemd) NO_SYSTEMD=1; shift ;;
      -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
  done
  [ -z "$DESTDIR" ] && ! is_root && die "run as root"

  if systemd_wanted; then
    systemctl disable --now "$SERVICE" 2>/dev/null || true
  elif [ -x "$OPT_DIR/current/bin/b24bridge-service" ]; then
    "$OPT_DIR/current/bin/b24bridge-service" stop || true
  fi
  rm -f "$UNIT_FILE" "$LOGROTATE_FILE" "$BIN_DIR/b24bridge" "$BIN_DIR/b24bridge-certs"
  if systemd_wanted; then
    systemctl daemon-reload
  fi
  # this script lives in $OPT_DIR: bash has read main() whole already, so removing the file is safe
  rm -rf "$OPT_DIR" "$RUN_DIR"

  if [ "$purge" = 1 ]; then
    rm -rf "$ETC_DIR" "$STATE_DIR" "$LOG_DIR" "$UPGRADE_LOG"
    if owning && id "$SERVICE_USER" >/dev/null 2>&1; then
      userdel "$SERVICE_USER" || warn "could not remove the user $SERVICE_USER"
    fi
    say "b24bridge removed, with its configuration, data, backups and logs"
  else
    say "b24bridge removed; kept: $ETC_DIR (configuration, certificates, pinned key), $STATE_DIR (database, backups), $LOG_DIR"
    say "install.sh of a later bundle picks them up again; uninstall.sh --purge deletes them"
  fi
}

main "$@"
