#!/usr/bin/env bash
# Installs b24bridge from this unpacked bundle. Needs no network and no JDK: the bundle brings its runtime.
#
#   install.sh (--trust-key FILE | --trust-fingerprint SHA256:HEX) [--no-systemd]
#
#   --trust-key FILE          the release public key, obtained from a source you trust (not from this bundle)
#   --trust-fingerprint FP    or the key's fingerprint as published with the release; the bundle's own
#                             release-key.pem is then used if, and only if, its fingerprint is this one
#   --no-systemd              do not install/reload the systemd unit (machines without systemd; use
#                             bin/b24bridge-service there)
#   DESTDIR=/some/root        install under a temporary root (tests, packagers): no user is created,
#                             nothing is chown'ed, systemd is left alone
#
# The bundle is copied into a folder only root can write, that copy is verified, and only that copy is installed:
# whoever owns the unpacked bundle cannot swap a file between the check and the install. Nothing is written under
# the installation's folders before the check passed. A key pinned by an earlier installation
# (/etc/b24bridge/release-key.pem) is used when no key is given. An existing configuration is never
# overwritten: the new default goes beside it as b24bridge.yaml.new.
set -euo pipefail
umask 022
bundle=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
PROG=install.sh
# shellcheck source=lib/common.sh
. "$bundle/lib/common.sh"

trust_key="" trust_fp="" NO_SYSTEMD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --trust-key) trust_key=${2:?--trust-key needs a file}; shift 2 ;;
    --trust-fingerprint) trust_fp=${2:?--trust-fingerprint needs a value}; shift 2 ;;
    --no-systemd) NO_SYSTEMD=1; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "this bundle is for Linux x86-64"
if [ -z "$DESTDIR" ] && ! is_root; then
  die "run as root (or give DESTDIR=/some/root for a staged installation)"
fi
[ -e "$OPT_DIR/current" ] && die "b24bridge is installed already ($(readlink "$OPT_DIR/current")): upgrade with $OPT_DIR/current/upgrade.sh NEW-BUNDLE.tar"

# 1. copy into root's own staging folder, then verify that copy (never the files others may still change)
STAGING=$(mktemp -d "${TMPDIR:-/tmp}/b24bridge-install.XXXXXX")
trap 'rm -rf "$STAGING"' EXIT
stage="$STAGING/bundle"
cp -R "$bundle" "$stage"
chmod -R go-w "$stage"
owning && chown -R root:root "$stage"
verify_args=()
if [ -n "$trust_key" ]; then
  verify_args=(--trust-key "$trust_key")
elif [ -n "$trust_fp" ]; then
  verify_args=(--trust-fingerprint "$trust_fp")
elif [ -f "$PINNED_KEY" ]; then
  say "using the release key pinned by an earlier installation: $PINNED_KEY"
  verify_args=(--trust-key "$PINNED_KEY")
fi
installer_tool "$stage" verify --bundle "$stage" "${verify_args[@]}" || die "bundle refused: nothing was installed"
version=$(release_version "$stage")
[[ "$version" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die "the bundle's version '$version' cannot name a folder"
t0=$(date +%s)

# 2. the service user (a real installation only: packagers create it in their postinst)
if owning && ! id "$SERVICE_USER" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/b24bridge --no-create-home \
          --shell /usr/sbin/nologin --comment "b24bridge appliance" "$SERVICE_USER"
  say "created system user $SERVICE_USER"
fi

# 3. folders: data and logs belong to the service; configuration is root's, readable by the service's group
mkdir -p "$OPT_DIR" "$ETC_DIR/tls" "$ETC_DIR/secrets" "$STATE_DIR" "$LOG_DIR" "$BIN_DIR"
chmod 0755 "$OPT_DIR"
chmod 0750 "$ETC_DIR" "$ETC_DIR/tls" "$ETC_DIR/secrets" "$STATE_DIR" "$LOG_DIR"
if owning; then
  chown root:"$SERVICE_USER" "$ETC_DIR" "$ETC_DIR/tls" "$ETC_DIR/secrets"
  chown "$SERVICE_USER:$SERVICE_USER" "$STATE_DIR" "$LOG_DIR"
fi

# 4. the version folder (root-owned, read-only to others) and the current link
vdir="$OPT_DIR/$version"
rm -rf "$vdir.partial"
cp -R "$stage" "$vdir.partial"
rm -rf "$vdir"
mv "$vdir.partial" "$vdir"
switch_current "$version"
ln -sfn "/opt/b24bridge/current/bin/b24bridge" "$BIN_DIR/b24bridge"
ln -sfn "/opt/b24bridge/current/bin/b24bridge-certs" "$BIN_DIR/b24bridge-certs"

# 5. configuration: never overwrite the operator's files
put_config() {
  local from=$1 to=$2
  if [ -e "$to" ]; then
    install -m 0640 "$from" "$to.new"
    owning && chown root:"$SERVICE_USER" "$to.new"
    say "kept your $to; the default of $version is beside it: $to.new"
  else
    install -m 0640 "$from" "$to"
    owning && chown root:"$SERVICE_USER" "$to"
  fi
  return 0
}
put_config "$stage/share/b24bridge.yaml" "$CONFIG_FILE"
put_config "$stage/share/b24bridge.env" "$ETC_DIR/b24bridge.env"

# 6. pin the release key: upgrades must be signed by it (or the operator says otherwise with --trust-key)
if [ -n "$trust_key" ]; then
  install -m 0644 "$trust_key" "$PINNED_KEY"
elif [ ! -f "$PINNED_KEY" ]; then
  install -m 0644 "$stage/release-key.pem" "$PINNED_KEY"   # its fingerprint was checked above
fi

# 7. systemd unit and logrotate
install_system_files "$vdir"

say "installed b24bridge $version in $(( $(date +%s) - t0 )) s into ${DESTDIR:-/}"
cat <<NEXT

Next steps:
  1. Certificates (from the customer's security team, or made with the certs tool):
       b24bridge-certs help
     put the PKCS#12 files and the password file into /etc/b24bridge/tls/ (root:b24bridge, 0640).
  2. Edit /etc/b24bridge/b24bridge.yaml (listeners, certificates, the bitrix24 section), then:
       b24bridge check-config --config /etc/b24bridge/b24bridge.yaml
       b24bridge doctor --config /etc/b24bridge/b24bridge.yaml
  3. Start it:
       systemctl enable --now b24bridge       (without systemd: /opt/b24bridge/current/bin/b24bridge-service start)
  4. Check https://127.0.0.1:9443/health (admin listener). Guide: /opt/b24bridge/current/share/doc/operator-guide.md
NEXT
