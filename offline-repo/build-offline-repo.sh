#!/usr/bin/env bash
# Fills a Maven repository with every artifact the b24bridge build needs, by running the real build into it,
# adds the Maven distribution the wrapper (./mvnw) would download, and packs both:
#   <out>/b24bridge-offline-repo-<version>.tar.gz  holding  b24bridge-offline-repo/{m2,maven-user-home,README.md}
#
#   offline-repo/build-offline-repo.sh [--out DIR] [--head|--worktree] [--quick|--all-tests]
#
#   --out DIR     where the archive goes (default offline-repo/target)
#   --worktree    build from the working tree as it is (default --head: the committed HEAD, via git archive)
#   --quick       (default) run `clean install` with a few unit tests and the installer's integration test:
#                 every module's main and test code compiles (so every dependency and plugin resolves) and
#                 surefire/failsafe resolve and run their JUnit provider. --all-tests runs every test.
#
# Why the real build and not dependency:go-offline: go-offline misses artifacts that dependency management
# and plugins choose at run time (surefire's JUnit provider, the failsafe and exec plugins' own
# dependencies). Running the goals resolves them. Needs the network (Maven Central) and a JDK 21+.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
project=$(cd "$here/.." && pwd)
out="$here/target"
worktree=0
tests=("-Dtest=SigningTest,ScriptsTest,DoctorTest,ConfigLoaderTest" "-Dsurefire.failIfNoSpecifiedTests=false")
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --worktree) worktree=1; shift ;;
    --head) worktree=0; shift ;;
    --quick) tests=("-Dtest=SigningTest,ScriptsTest,DoctorTest,ConfigLoaderTest" "-Dsurefire.failIfNoSpecifiedTests=false"); shift ;;
    --all-tests) tests=(); shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-offline-repo: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
t0=$(date +%s)

work="$out/offline-work"
stage="$work/b24bridge-offline-repo"
src="$work/src"
rm -rf "$work"
mkdir -p "$stage/m2" "$stage/maven-user-home" "$src"

# 1. a clean copy of the sources, so the build's target folders and half-edited files stay out of it
if [ "$worktree" = 0 ] && git -C "$project" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$project" archive HEAD | tar -x -C "$src"
else
  tar -C "$project" --exclude='./.git' --exclude='*/target' --exclude='./sandbox' -cf - . | tar -x -C "$src"
fi
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$src/pom.xml" | sed -n 2p)

# 2. the Maven distribution for ./mvnw: reuse the one this machine's wrapper unpacked, or let it download
user_home="${MAVEN_USER_HOME:-$HOME/.m2}"
if [ -d "$user_home/wrapper/dists" ]; then
  mkdir -p "$stage/maven-user-home/wrapper"
  cp -R "$user_home/wrapper/dists" "$stage/maven-user-home/wrapper/"
fi

# 3. the real build into the empty repository (user.home too: no ~/.m2/settings.xml sneaks in)
mkdir -p "$work/home"
echo "build-offline-repo: priming $stage/m2 with: ./mvnw -B clean install ${tests[*]}"
(cd "$src" && MAVEN_USER_HOME="$stage/maven-user-home" MAVEN_OPTS="-Duser.home=$work/home ${MAVEN_OPTS:-}" \
  ./mvnw -B -ntp -Dmaven.repo.local="$stage/m2" clean install "${tests[@]}") >"$work/priming.log" 2>&1 \
  || { tail -n 40 "$work/priming.log" >&2; echo "build-offline-repo: the priming build failed (log: $work/priming.log)" >&2; exit 1; }

# 4. drop our own artifacts and the records of where each artifact came from: the closed network's Maven
#    may have another repository id (a mirror), and tracked origins would then make artifacts "unavailable"
rm -rf "$stage/m2/io/b24bridge"
find "$stage/m2" \( -name '_remote.repositories' -o -name '*.lastUpdated' -o -name 'resolver-status.properties' \) -delete
# only the unpacked distribution the wrapper uses (its hash names the distribution URL of .mvn/wrapper)
find "$stage/maven-user-home/wrapper/dists" -name '*.zip' -delete 2>/dev/null || true

cat >"$stage/README.md" <<README
# b24bridge offline build repository ($version)

Build b24bridge inside a closed network, with no access to Maven Central:

    tar xzf b24bridge-offline-repo-$version.tar.gz          # next to the source folder
    export JAVA_HOME=/path/to/jdk-21-or-newer
    export MAVEN_USER_HOME=\$PWD/b24bridge-offline-repo/maven-user-home   # ./mvnw finds Maven here
    cd b24bridge                                             # the source tree of the same version
    ./mvnw -o -B -Dmaven.repo.local=\$PWD/../b24bridge-offline-repo/m2 verify

The bundle is then installer/target/b24bridge-$version-linux-x64.tar (sign it with -Dbundle.signing.key=FILE).
Made by offline-repo/build-offline-repo.sh on $(date -u +%Y-%m-%d) from the sources of $version.
README

# 5. pack
archive="$out/b24bridge-offline-repo-$version.tar.gz"
tar -C "$work" -czf "$archive" b24bridge-offline-repo
(cd "$out" && sha256sum "$(basename "$archive")" >"$(basename "$archive").sha256")
echo "build-offline-repo: $archive ($(du -m "$archive" | cut -f1) MB, $(find "$stage/m2" -type f | wc -l) files) in $(( $(date +%s) - t0 )) s"
