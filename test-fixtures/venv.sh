#!/usr/bin/env bash
# Makes (once) the pinned Python venv the fixture tools use: test-fixtures/.venv from requirements.txt
# (real Keras 3 on TensorFlow CPU, tf-keras 2, h5py, numpy). Rebuilt only when requirements.txt changes.
# Used by generate.sh and check-saved.sh; run it alone to prepare a machine.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
REQ="$HERE/requirements.txt"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.requirements.sha256"

req_hash="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$req_hash" ]]; then
  echo "venv.sh: reusing $VENV (requirements unchanged)" >&2
  exit 0
fi
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "error: venv.sh needs Python 3.10-3.12 ($PYTHON not found); set PYTHON=/path/to/python3" >&2
  exit 1
fi
echo "venv.sh: creating $VENV from $REQ (a few minutes: TensorFlow is large)" >&2
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -r "$REQ"
echo "$req_hash" > "$STAMP"
