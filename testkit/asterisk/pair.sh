#!/usr/bin/env bash
# The real-Asterisk pair by hand (docs/asterisk/README.md):
#   testkit/asterisk/pair.sh up [pbx:FILE=PATH|world:FILE=PATH]...  start pbx + world, run until Ctrl-C
#   testkit/asterisk/pair.sh call DID CALLER [TALK_SECONDS]          the carrier calls DID (pair up)
#   testkit/asterisk/pair.sh cli pbx|world 'COMMAND'                 an Asterisk CLI command
# Needs root and the root built by build-root.sh. Settings: B24TEST_ASTERISK_* (see AsteriskSettings).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=${B24TEST_ASTERISK_ROOT:-/var/cache/b24bridge/asterisk-root}
case "${1:-}" in
  cli)
    [ $# -eq 3 ] || { echo "usage: $0 cli pbx|world 'COMMAND'" >&2; exit 2; }
    exec chroot "$root" /usr/sbin/asterisk -C "/etc/asterisk-$2/asterisk.conf" -rx "$3" ;;
  up|call)
    export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
    [ -d testkit/target/classes/io/b24bridge/testkit/asterisk ] || ./mvnw -q -B -o -pl testkit compile
    exec "$JAVA_HOME/bin/java" -cp testkit/target/classes io.b24bridge.testkit.asterisk.AsteriskPairMain "$@" ;;
  *)
    sed -n '2,7p' "$0" >&2; exit 2 ;;
esac
