#!/usr/bin/env bash
# Checks that the build is reproducible: builds the published modules twice from clean (tests skipped) and compares
# every jar byte for byte (main, sources and javadoc jars, and the CLI's shaded jkeras.jar). The parent POM fixes
# project.build.outputTimestamp, so the jars' entry times and order do not depend on when or where they are built.
#   scripts/reproducible-build.sh            # prints one line per jar, exits 1 when any differs
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/find-jdk.sh"
jkeras_find_jdk || exit 1
export JAVA_HOME=$JKERAS_JAVA_HOME
MODULES=test-fixtures,runtime,keras-import,cli
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for round in 1 2; do
    (cd "$ROOT" && mvn -q -B -Prelease -pl "$MODULES" clean package -DskipTests -Djkeras.scalar.skip=true)
    mkdir -p "$OUT/$round"
    for jar in "$ROOT"/{runtime,keras-import,cli,test-fixtures}/target/*.jar; do
        cp "$jar" "$OUT/$round/"
    done
done
status=0
for jar in "$OUT"/1/*.jar; do
    name=$(basename "$jar")
    if cmp -s "$jar" "$OUT/2/$name"; then
        echo "same      $name  $(sha256sum "$jar" | cut -c1-16)"
    else
        echo "DIFFERENT $name"
        status=1
    fi
done
exit $status
