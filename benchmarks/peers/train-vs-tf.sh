#!/usr/bin/env bash
# jkeras training vs TensorFlow/Keras on the same shapes, side by side: builds benchmarks.jar (JDK >= 25), then
# runs benchmarks/peers/train_vs_tf.py (JMH TrainingBenchmark and tf_train_step.py interleaved scenario by scenario)
# and prints the ratio table. Extra arguments go to train_vs_tf.py, e.g.
#   benchmarks/peers/train-vs-tf.sh --rounds 3 --threads 1,2 --phases trainStep,forward,gradients
# PYTHON (default: test-fixtures/.venv/bin/python) must have tensorflow and keras; SKIP_BUILD=1 reuses the jar.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../scripts/find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
jkeras_find_jdk || exit 1
export JAVA_HOME=$JKERAS_JAVA_HOME
export PATH=$JAVA_HOME/bin:$PATH
PYTHON=${PYTHON:-$ROOT/test-fixtures/.venv/bin/python}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$ROOT" && mvn -q -B -pl benchmarks -am package -DskipTests)
fi
lscpu | sed -n 's/^Model name: *//p; s/^CPU(s): *//p' | paste -sd' ' | sed 's/^/cpu: /' >&2
echo "jdk: $(java -version 2>&1 | head -1); flags: $(grep -o 'avx512f\|avx2' /proc/cpuinfo | sort -u | paste -sd' ')" >&2
exec "$PYTHON" "$ROOT/benchmarks/peers/train_vs_tf.py" --java "$JAVA_HOME/bin/java" \
    --jar "$ROOT/benchmarks/target/benchmarks.jar" --python "$PYTHON" "$@"
