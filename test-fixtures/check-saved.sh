#!/usr/bin/env bash
# Proves that real Keras 3 loads what jkeras saves: Keras trains and saves a few compiled models, the
# Java step (SavedModelsExport) saves every fixture model and those training models with jkeras's
# writers, then generate/check_saved.py loads each file with Keras and compares predictions and one
# more training step. Makes the fixture venv (test-fixtures/venv.sh) on first use; needs a JDK 25.
# Usage: test-fixtures/check-saved.sh [output dir, default keras-import/target/saved-models]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$(realpath -m "${1:-$ROOT/keras-import/target/saved-models}")
PY="$HERE/.venv/bin/python"
"$HERE/venv.sh"   # makes the pinned venv on first use
export CUDA_VISIBLE_DEVICES=-1 TF_ENABLE_ONEDNN_OPTS=0 PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=2
rm -rf "$OUT"
mkdir -p "$OUT"
echo "check-saved: [1/3] Keras trains and saves the training models into $OUT/training" >&2
"$PY" "$HERE/generate/check_saved.py" prepare "$OUT"
echo "check-saved: [2/3] jkeras saves every fixture model (SavedModelsExport)" >&2
"$ROOT/run-tests" -q -pl keras-import -am -Dtest=SavedModelsExport -Dsurefire.failIfNoSpecifiedTests=false -Djkeras.scalar.skip=true \
    -Djkeras.saved.dir="$OUT" >"$OUT/java.log" 2>&1 || { tail -40 "$OUT/java.log" >&2; exit 1; }
[[ -f "$OUT/saved.json" ]] || { echo "check-saved: the Java step wrote no saved.json (see $OUT/java.log)" >&2; exit 1; }
echo "check-saved: [3/3] Keras loads and checks every file" >&2
exec "$PY" "$HERE/generate/check_saved.py" check "$OUT"
