#!/usr/bin/env bash
# Regenerate the jkeras test fixtures with the REAL Keras (3.x) and tf.keras 2 (tf_keras).
# Builds (once) a pinned virtualenv at test-fixtures/.venv from requirements.txt, then runs
# generate/generate_all.py, which rewrites test-fixtures/fixtures/ from scratch: the inference set
# (manifest.json, cases.h5, models/, demo/) and the training set (training/).
# Usage: test-fixtures/generate.sh [family ... | airline | external | training | training:<substring>]
#        no args = both sets. With inference args, the inference set is rewritten with ONLY those cases;
#        "training" regenerates only the training set, "training:<substring>" only its cases whose id
#        contains <substring> (dev use: rerun in full before committing).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"

"$HERE/venv.sh"

export CUDA_VISIBLE_DEVICES=-1
export TF_ENABLE_ONEDNN_OPTS=0
export PYTHONHASHSEED=0
export TF_CPP_MIN_LOG_LEVEL=2
export KERAS_BACKEND=tensorflow
export TF_USE_LEGACY_KERAS=0

exec "$VENV/bin/python" "$HERE/generate/generate_all.py" "$@"
