#!/usr/bin/env bash
# GRU / SimpleRNN: jkeras's packed kernels, the reference path they replaced, and ONNX Runtime, round after round in
# one session (so load drift hits all three), 1 thread, calling-thread CPU time and wall time; prints one line per
# scenario and round, then the medians of the per-round ratios.
#   benchmarks/peers/rnn-vs-ort.sh [--rounds 3] [--scenarios G3,G4,G3b,G4b,R3,R4]
# Needs benchmarks/target/benchmarks.jar (mvn -pl benchmarks -am install -DskipTests) and a Python with onnx and
# onnxruntime (PYTHON=..., default python3).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/scripts/find-jdk.sh"
jkeras_find_jdk || exit 1
JAVA=$JKERAS_JAVA_HOME/bin
ROUNDS=3
SCENARIOS=G3,G4,G3b,G4b,R3,R4
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --scenarios) SCENARIOS=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
PYTHON=${PYTHON:-python3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$JAVA/javac" -d "$TMP" "$ROOT/benchmarks/tools/RecurrentAb.java"
OUT=$TMP/rounds.txt
for r in $(seq 1 "$ROUNDS"); do
    for sc in ${SCENARIOS//,/ }; do
        j=$("$JAVA/java" --add-modules=jdk.incubator.vector -cp "$TMP" RecurrentAb "$ROOT/benchmarks/target/benchmarks.jar" \
            "$sc" 6 1000 2>/dev/null | grep "^$sc ")
        o=$("$PYTHON" "$ROOT/benchmarks/peers/ort_rnn.py" --scenarios "$sc" --threads 1 --seconds 6)
        echo "round $r ### $j ### $o" | tee -a "$OUT"
    done
done
"$PYTHON" - "$OUT" <<'PY'
import json, re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    _, j, o = line.split(" ### ", 2)
    sc = j.split()[0]
    ort = json.loads(o[o.index("{"):])
    num = lambda pat: float(re.search(pat, j).group(1))
    rows.setdefault(sc, []).append(dict(
        load=num(r"load ([0-9.]+)"), ref_cpu=num(r"thread CPU µs/op: reference ([0-9.]+)"),
        packed_cpu=num(r"packed ([0-9.]+), ratio"), packed_wall=num(r"packed med ([0-9.]+)"),
        ref_wall=num(r"reference med ([0-9.]+)"), ort_cpu=ort["calling_thread_cpu_median_us"],
        ort_wall=ort["median_us"], ort_load=ort["load"]))
print("\nscenario | load | CPU µs: reference, packed, ORT | reference/packed | ORT/packed (CPU) | ORT/packed (wall)")
for sc, rs in rows.items():
    med = lambda f: statistics.median(f(x) for x in rs)
    print(f"{sc} | {min(x['load'] for x in rs):.1f}-{max(max(x['load'], x['ort_load']) for x in rs):.1f} | "
          f"{med(lambda x: x['ref_cpu']):.0f}, {med(lambda x: x['packed_cpu']):.0f}, {med(lambda x: x['ort_cpu']):.0f} | "
          f"{med(lambda x: x['ref_cpu'] / x['packed_cpu']):.2f} | {med(lambda x: x['ort_cpu'] / x['packed_cpu']):.2f} | "
          f"{med(lambda x: x['ort_wall'] / x['packed_wall']):.2f}")
PY
