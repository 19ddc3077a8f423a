#!/usr/bin/env bash
# Upgrades an installed b24bridge to a new bundle, and goes back by itself if the new version does not come
# up healthy. Run the INSTALLED copy (/opt/b24bridge/current/upgrade.sh): it checks the new archive with the
# installed, already trusted runtime against the pinned release key before using anything from it.
#
#   upgrade.sh [--trust-key FILE] [--health-timeout SECONDS] [--start] [--allow-older] [--no-systemd] NEW-BUNDLE.tar
#
#   --trust-key FILE        accept a new release key (key rotation); by default the key pinned at installation
#                           (/etc/b24bridge/release-key.pem) must have signed the new bundle
#   --health-timeout S      how long the new version may take to answer /health as healthy (default 120)
#   --start                 start the new version even if the old one was not running
#   --allow-older           accept a bundle older than the installed version (a deliberate downgrade: the
#                           database of the newer version may not suit it; restore a backup of that version)
#   --no-systemd            manage the process with bin/b24bridge-service instead of systemctl
#   DESTDIR=/some/root      upgrade the installation under a temporary root (tests)
#
# Steps: verify and unpack the archive; stop the service; back the database up (b24bridge backup); switch
# /opt/b24bridge/current to the new version (the previous version folder stays); start; wait for /health.
# If it is not healthy in time: stop it, switch back, restore the backup (b24bridge restore), start the
# previous version. Everything is logged to /var/log/b24bridge-upgrade.log (root's, outside the service's folders).
set -euo pipefail
umask 022
self=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
PROG=upgrade.sh
# shellcheck source=lib/common.sh
. "$self/lib/common.sh"

# Runs on every exit, die included: removes the staging folder and lets tee finish writing the log and the
# terminal before the script's own exit is seen.
on_exit() {
  [ -n "${STAGING:-}" ] && rm -rf "$STAGING"
  if [ -n "${LOG_TEE:-}" ]; then
    exec 1>&3 2>&4 3>&- 4>&-
    wait "$LOG_TEE" 2>/dev/null || true
  fi
}

main() {
  trap on_exit EXIT
  local trust_key="" timeout=120 start_anyway=0 allow_older=0 archive=""
  NO_SYSTEMD=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --trust-key) trust_key=${2:?--trust-key needs a file}; shift 2 ;;
      --health-timeout) timeout=${2:?--health-timeout needs seconds}; shift 2 ;;
      --start) start_anyway=1; shift ;;
      --allow-older) allow_older=1; shift ;;
      --no-systemd) NO_SYSTEMD=1; shift ;;
      -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      -*) die "unknown option $1 (see --help)" ;;
      *) archive=$1; shift ;;
    esac
  done
  [ -n "$archive" ] || die "which bundle? upgrade.sh NEW-BUNDLE.tar (see --help)"
  [ -f "$archive" ] || die "no such file: $archive"
  [ -z "$DESTDIR" ] && ! is_root && die "run as root"
  [ -L "$OPT_DIR/current" ] || die "no b24bridge installation under $OPT_DIR: use install.sh"

  local old_vdir old_version key
  old_vdir=$(readlink -f "$OPT_DIR/current")
  old_version=$(release_version "$old_vdir")
  key=${trust_key:-$PINNED_KEY}
  [ -f "$key" ] || die "no pinned release key ($PINNED_KEY): give --trust-key FILE"

  # root's log, in root's folder: nothing the service's user owns is followed (a link planted there could make
  # root hand /etc/shadow over to it)
  mkdir -p "$(dirname "$UPGRADE_LOG")"
  [ -L "$UPGRADE_LOG" ] && die "$UPGRADE_LOG is a link: remove it (root's log is a plain file)"
  [ -e "$UPGRADE_LOG" ] || install -m 0640 /dev/null "$UPGRADE_LOG"
  # the terminal keeps its own copy on fds 3/4 so that on_exit can hand it back and wait for tee: bash does not
  # wait for a process substitution, and without that the last lines ("rolled back: ...") could reach the
  # terminal or a caller's capture after the script has already exited
  exec 3>&1 4>&2
  exec > >(tee -a "$UPGRADE_LOG") 2>&1
  LOG_TEE=$!
  say "$(date -Is) upgrading b24bridge $old_version with $archive"

  # 1. verify with the installed version's tool, before anything of the new bundle is used or installed
  local new_dir
  # global: the EXIT trap runs after main has returned
  STAGING=$(mktemp -d "$OPT_DIR/.upgrade.XXXXXX")
  new_dir=$(installer_tool "$old_vdir" unpack --archive "$archive" --into "$STAGING" --trust-key "$key" | tail -n 1) \
    || die "bundle refused: nothing was changed"
  local new_version new_vdir
  new_version=$(release_version "$new_dir")
  [[ "$new_version" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die "the bundle's version '$new_version' cannot name a folder"
  [ "$new_version" != "$old_version" ] || die "b24bridge $new_version is installed already"
  if version_older "$new_version" "$old_version" && [ "$allow_older" = 0 ]; then
    die "the bundle is b24bridge $new_version, older than the installed $old_version: refused (a signed old bundle \
may carry fixed flaws); give --allow-older for a deliberate downgrade. Nothing was changed"
  fi
  new_vdir="$OPT_DIR/$new_version"
  owning && chown -R root:root "$new_dir"

  # 2. stop, then back the database up while nothing writes to it
  local was_running=0
  if service_running "$old_vdir"; then
    was_running=1
    say "stopping b24bridge $old_version"
    service_stop "$old_vdir"
  fi
  local out backup
  if ! out=$("$old_vdir/bin/b24bridge" backup --config "$CONFIG_FILE"); then
    [ "$was_running" = 1 ] && service_start "$old_vdir"
    die "the database backup failed: nothing was changed"
  fi
  backup=$(sed -n 's/^backup written: //p' <<<"$out")
  [ -n "$backup" ] || die "the backup command did not say where it wrote: $out"
  say "database backed up to $backup"

  # 3. switch: the previous version folder stays for a rollback
  local old_previous=""
  [ -L "$OPT_DIR/previous" ] && old_previous=$(readlink "$OPT_DIR/previous")
  rm -rf "$new_vdir"
  mv "$new_dir" "$new_vdir"
  switch_current "$new_version"
  ln -sfn "$old_version" "$OPT_DIR/previous"
  install_system_files "$new_vdir"
  local record
  record=$(printf 'from=%s\nto=%s\nbackup=%s\nat=%s\n' "$old_version" "$new_version" "$backup" "$(date -Is)")
  say "switched $OPT_DIR/current to $new_version"

  if [ "$was_running" = 0 ] && [ "$start_anyway" = 0 ]; then
    echo "$record" >"$OPT_DIR/last-upgrade"
    say "b24bridge was not running, so it was not started: start it and check /health"
    say "to go back: see \"Rollback by hand\" in the operator guide (backup: $backup)"
    return 0
  fi

  # 4. start the new version and wait until it is healthy; otherwise go back
  say "starting b24bridge $new_version (waiting up to ${timeout}s for /health)"
  if service_start "$new_vdir" && wait_healthy "$new_vdir" "$new_version" "$timeout"; then
    echo "$record" >"$OPT_DIR/last-upgrade"
    if [ -n "$trust_key" ]; then
      install -m 0644 "$trust_key" "$PINNED_KEY"
      say "pinned the new release key"
    fi
    prune_versions "$new_version" "$old_version"
    say "upgraded b24bridge $old_version -> $new_version"
    return 0
  fi

  warn "b24bridge $new_version did not come up healthy: rolling back to $old_version"
  # stopped with the old version's script: known to work, whatever the new one does
  service_stop "$old_vdir" || true
  switch_current "$old_version"
  if [ -n "$old_previous" ]; then ln -sfn "$old_previous" "$OPT_DIR/previous"; else rm -f "$OPT_DIR/previous"; fi
  echo "$record" >"$OPT_DIR/last-failed-upgrade"
  install_system_files "$old_vdir"
  "$old_vdir/bin/b24bridge" restore --config "$CONFIG_FILE" --from "$backup" || warn "restore failed: restore $backup by hand"
  service_start "$old_vdir"
  if wait_healthy "$old_vdir" "$old_version" "$timeout"; then
    warn "rolled back: b24bridge $old_version is running again with the database of before the upgrade"
  else
    warn "rolled back to $old_version, but it is not healthy either: see journalctl -u b24bridge / $LOG_DIR"
  fi
  warn "the failed version stays in $new_vdir for inspection; its start log: journalctl -u b24bridge or $LOG_DIR/b24bridge.log"
  exit 1
}

# Keeps the current and the previous version folders; older ones only take space.
prune_versions() {
  local d name
  for d in "$OPT_DIR"/*/; do
    d=${d%/}
    # current and previous are links to version folders: never follow them into an rm
    [ -L "$d" ] && continue
    name=$(basename "$d")
    if [ "$name" != "$1" ] && [ "$name" != "$2" ] && [ -f "$d/RELEASE" ]; then
      rm -rf "$d"
      say "removed old version folder $name"
    fi
  done
}

main "$@"
