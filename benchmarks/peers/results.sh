#!/usr/bin/env bash
# One command for issue 7's comparison: builds the benchmarks with the peers (ONNX Runtime Java, DL4J), writes the
# scenario .h5 files DL4J imports, runs jkeras, both peers and the FMA peak in ONE JMH invocation (the same machine
# state for all), then rewrites the generated section of benchmarks/RESULTS.md and benchmarks/results.png.
#   benchmarks/peers/results.sh [--quick] [--threads 1,2] [--scenarios S1,S2,S3,S4,G2,G3,G4,B4,R4,L4]
# (G2: S2 with GRU(64); G3, G4: the GRU(256) versions of S3, S4; B4: Bidirectional(LSTM(128)), R4: SimpleRNN(256), L4: LSTM(512), all
# three batch 1; DL4J runs the S scenarios only, its Keras import has no GRU; jkeras's bfloat16 kernels run S4 and L4)
# --quick: 3 warm-up and 2 measured iterations of 1 s (minutes; for trying the command, not for quoting).
# Needs Maven, a JDK 25 (found like ./run-tests) and test-fixtures/.venv (tf-keras; test-fixtures/venv.sh makes it)
# or PYTHON=<python with tf_keras>.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/scripts/find-jdk.sh"
jkeras_find_jdk || exit 1
export JAVA_HOME=$JKERAS_JAVA_HOME
JAVA=$JAVA_HOME/bin/java
THREADS=1,2
SCENARIOS=S1,S2,S3,S4,G2,G3,G4,B4,R4,L4
JMH_TIME=(-wi 5 -i 5 -w 2s -r 2s)
while [ $# -gt 0 ]; do
    case $1 in
        --quick) JMH_TIME=(-wi 3 -i 2 -w 1s -r 1s); shift ;;
        --threads) THREADS=$2; shift 2 ;;
        --scenarios) SCENARIOS=$2; shift 2 ;;
        *) echo "unknown argument $1 (expected --quick, --threads LIST, --scenarios LIST)" >&2; exit 2 ;;
    esac
done
DL4J_SCENARIOS=$(echo "$SCENARIOS" | tr ',' '\n' | grep '^S' | paste -sd, -)
BF16_SCENARIOS=$(echo "$SCENARIOS" | tr ',' '\n' | grep -E '^(S4|L4)$' | paste -sd, - || true)
BENCHES='FmaPeakBenchmark|LstmBenchmark|peers.OrtLstmBenchmark|peers.Dl4jLstmBenchmark'
BF16_ARGS=()
if [ -n "$BF16_SCENARIOS" ]; then
    BENCHES="$BENCHES|LstmBf16Benchmark"
    BF16_ARGS=(-p bf16Scenario="$BF16_SCENARIOS")
fi
PYTHON=${PYTHON:-$ROOT/test-fixtures/.venv/bin/python}
if ! "$PYTHON" -c 'import tf_keras' 2>/dev/null; then
    echo "results.sh: $PYTHON cannot import tf_keras (needed to write the .h5 files DL4J imports): run" \
        "test-fixtures/venv.sh, or set PYTHON to a Python with tf-keras" >&2
    exit 1
fi
OUT=$ROOT/benchmarks/target/peers
mkdir -p "$OUT"

(cd "$ROOT" && mvn -q -pl benchmarks -am install -DskipTests -Ppeers)
CP_FILE=$OUT/peers.classpath
(cd "$ROOT" && mvn -q -pl benchmarks dependency:build-classpath -Ppeers -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$CP_FILE")
CUDA_VISIBLE_DEVICES=-1 TF_CPP_MIN_LOG_LEVEL=2 "$PYTHON" "$ROOT/benchmarks/peers/scenario_h5.py" "$OUT" >/dev/null

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
FLAGS=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f|avx512_bf16|amx_tile)$' | tr '\n' ' ')
CORES=$(nproc)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# JMH forks inherit the class path of this JVM: the shaded jar plus DL4J's (not shaded: ~180 MB of natives).
# -jvmArgsAppend on the command line replaces the @Fork annotations' own, so it repeats --add-modules.
"$JAVA" -Djmh.ignoreLock=true -cp "$ROOT/benchmarks/target/benchmarks.jar:$(cat "$CP_FILE")" org.openjdk.jmh.Main \
    "^org.jkeras.bench.($BENCHES)\\." \
    -p scenario="$SCENARIOS" -p dl4jScenario="$DL4J_SCENARIOS" "${BF16_ARGS[@]}" -p threads="$THREADS" -bm avgt -tu us "${JMH_TIME[@]}" -f 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector -Djkeras.peers.h5=$OUT" -rf json -rff "$OUT/result.json"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$CPU ($CORES cores; $FLAGS); $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+changes'); load average $LOAD_BEFORE before, $LOAD_AFTER after"
"$JAVA" -Djava.awt.headless=true -cp "$ROOT/benchmarks/target/benchmarks.jar" org.jkeras.bench.ResultsReport \
    "$OUT/result.json" "$ROOT/benchmarks/RESULTS.md" "$ROOT/benchmarks/results.png" "$MACHINE"
echo "wrote benchmarks/RESULTS.md (generated section) and benchmarks/results.png"
