#!/usr/bin/env python3
"""Builds the seed corpora of the Jazzer fuzz targets (scripts/fuzz.sh) from every committed fixture.

Usage: scripts/fuzz-seeds.py OUT_DIR [EXTRA_MODEL_DIR...]
Writes OUT_DIR/<target>/<name> for the targets kerasZip, legacyH5, jsonConfig (config and weights joined as
ImporterFuzzTest.jsonConfig frames them: 4-byte big-endian config length, config, weights) and npy.
EXTRA_MODEL_DIR (e.g. /work/shared/conformance/dl4j) adds more model files found under it.
Seeds over MAX_BYTES are left out: libFuzzer mutates small inputs much faster.
"""
import hashlib
import os
import struct
import sys
from pathlib import Path

MAX_BYTES = 128 * 1024
ROOT = Path(__file__).resolve().parent.parent


def files(dirs, suffix):
    for d in dirs:
        for p in sorted(Path(d).rglob("*" + suffix)):
            if p.is_file() and p.stat().st_size <= MAX_BYTES:
                yield p


def put(out, target, data, origin):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16] + "-" + origin.name
    (d / name).write_bytes(data)


def main():
    out = Path(sys.argv[1])
    extra = [Path(a) for a in sys.argv[2:]]
    models = [ROOT / "test-fixtures/fixtures/models", ROOT / "keras-import/src/test/resources"] + extra
    for p in files(models, ".keras"):
        put(out, "kerasZip", p.read_bytes(), p)
    for p in files(models, ".h5"):
        # weights-only files are no models: they seed the JSON target below (and still make fine HDF5 seeds)
        put(out, "legacyH5", p.read_bytes(), p)
    for p in files(models, ".json"):
        candidates = [p.with_name(p.stem + ".weights.h5"), p.with_name(p.stem + "_weights.h5"),
                      p.with_name(p.stem.replace("_config", "_weights") + ".h5")]
        weights = next((w for w in candidates if w.is_file()), None)
        config = p.read_bytes()
        data = weights.read_bytes() if weights is not None and weights.stat().st_size <= MAX_BYTES else b""
        put(out, "jsonConfig", struct.pack(">I", len(config)) + config + data, p)
    for p in files([ROOT / "cli/src/test/resources", ROOT / "test-fixtures/fixtures"] + extra, ".npy"):
        put(out, "npy", p.read_bytes(), p)
    for t in sorted(os.listdir(out)):
        print(t, len(os.listdir(out / t)), "seeds")


if __name__ == "__main__":
    main()
