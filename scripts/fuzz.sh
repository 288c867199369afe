#!/usr/bin/env bash
# Coverage-guided fuzzing of the importer and the .npy reader with Jazzer (the @FuzzTest targets
# ImporterFuzzTest.{kerasZip,legacyH5,jsonConfig} in keras-import and NpyFuzzTest.read in cli).
#
#   scripts/fuzz.sh TARGET [SECONDS] [EXTRA_MODEL_DIR...]
#     TARGET: kerasZip | legacyH5 | jsonConfig | npy
#     SECONDS: how long to fuzz (default 600)
#     EXTRA_MODEL_DIR: more seed model files (e.g. a checkout of DL4J's Keras test resources)
#
# Builds once (test-compile, no install), snapshots the classes so later builds do not change them under a
# running fuzzer, seeds the corpus with every committed fixture (scripts/fuzz-seeds.py) and runs Jazzer's
# driver on the target, instrumenting jkeras, jHDF and Jackson. Everything goes to target/fuzz/:
#   corpus/TARGET     the growing corpus (kept between runs)      findings/TARGET  crashing inputs
#   logs/TARGET.log   libFuzzer's log (executions, cov, ft)
# A finding is fixed in the library and its input committed under
#   keras-import/src/test/resources/org/jkeras/keras/fuzz/ImporterFuzzTestInputs/TARGET/   or
#   cli/src/test/resources/org/jkeras/cli/io/NpyFuzzTestInputs/read/
# where the normal test run (./run-tests) replays it. Several targets may run at once (run it under nice: a
# fuzzer takes a whole core). FUZZ_HEAP (default 1g) caps the heap: an input the limits let through to a huge
# allocation ends as an OutOfMemoryError, which is a finding. FUZZ_TIMEOUT (default 120 s) is libFuzzer's wall-clock
# timeout per input, generous so a busy machine makes no findings; the targets bound each input's CPU time.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${1:?usage: scripts/fuzz.sh kerasZip|legacyH5|jsonConfig|npy [SECONDS] [EXTRA_MODEL_DIR...]}
SECONDS_TO_RUN=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
case "$TARGET" in
    kerasZip|legacyH5|jsonConfig) MODULE=keras-import; CLASS=org.jkeras.keras.fuzz.ImporterFuzzTest; METHOD=$TARGET ;;
    npy) MODULE=cli; CLASS=org.jkeras.cli.io.NpyFuzzTest; METHOD=read ;;
    *) echo "error: unknown target $TARGET (kerasZip, legacyH5, jsonConfig, npy)" >&2; exit 2 ;;
esac
# shellcheck source=scripts/find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
jkeras_find_jdk || exit 1
export JAVA_HOME=$JKERAS_JAVA_HOME PATH=$JKERAS_JAVA_HOME/bin:$PATH
OUT=$ROOT/target/fuzz
mkdir -p "$OUT/corpus/$TARGET" "$OUT/findings/$TARGET" "$OUT/logs"

# one build and class snapshot per module and source state, shared by targets started together
STAMP=$(cd "$ROOT" && git rev-parse --short HEAD)-$(cd "$ROOT" && { git diff HEAD; git ls-files --others --exclude-standard \
    | xargs -r cat; } | sha1sum | cut -c1-8)
SNAP=$OUT/build/$MODULE-$STAMP
if [ ! -f "$SNAP/cp.txt" ]; then
    (cd "$ROOT" && mvn -B -q -o -Dstyle.color=never test-compile dependency:build-classpath -pl "$MODULE" -am \
        -Dmdep.outputFile="$OUT/build/cp-$MODULE.txt" -Dmdep.includeScope=test >&2)
    mkdir -p "$SNAP"
    cp -r "$ROOT/$MODULE/target/classes" "$SNAP/classes"
    cp -r "$ROOT/$MODULE/target/test-classes" "$SNAP/test-classes"
    # the reactor resolves sibling modules to their target/classes: snapshot those too
    cp_line=$(cat "$OUT/build/cp-$MODULE.txt")
    for m in runtime test-fixtures keras-import; do
        if [[ ":$cp_line:" == *":$ROOT/$m/target/classes:"* ]]; then
            cp -r "$ROOT/$m/target/classes" "$SNAP/$m-classes"
            cp_line=${cp_line//"$ROOT/$m/target/classes"/"$SNAP/$m-classes"}
        fi
    done
    echo "$SNAP/test-classes:$SNAP/classes:$cp_line" > "$SNAP/cp.txt"
fi
SEEDS=$OUT/seeds
if [ ! -d "$SEEDS/$TARGET" ]; then
    python3 "$ROOT/scripts/fuzz-seeds.py" "$SEEDS" "$@" >&2
fi
echo "fuzz: $TARGET for ${SECONDS_TO_RUN}s, $(ls "$SEEDS/$TARGET" | wc -l) seeds, log $OUT/logs/$TARGET.log" >&2
cd "$ROOT/$MODULE"   # the fuzz tests find the fixtures relative to their module, as under Maven
java --add-modules=jdk.incubator.vector -Xss4m -Xmx"${FUZZ_HEAP:-1g}" -XX:+EnableDynamicAgentLoading \
    -Djkeras.root="$ROOT" -Djunit.jupiter.execution.timeout.mode=disabled \
    -cp "$(cat "$SNAP/cp.txt")" com.code_intelligence.jazzer.Jazzer \
    --target_class="$CLASS" --target_method="$METHOD" \
    --instrumentation_includes='org.jkeras.**:io.jhdf.**:tools.jackson.**' \
    --custom_hook_includes='org.jkeras.**:io.jhdf.**:tools.jackson.**' \
    --keep_going=50 --reproducer_path="$OUT/findings/$TARGET" \
    "$OUT/corpus/$TARGET" "$SEEDS/$TARGET" \
    -artifact_prefix="$OUT/findings/$TARGET/" -max_total_time="$SECONDS_TO_RUN" -max_len=131072 \
    -timeout="${FUZZ_TIMEOUT:-120}" -rss_limit_mb=0 -print_final_stats=1 2>&1 | tee -a "$OUT/logs/$TARGET.log"
