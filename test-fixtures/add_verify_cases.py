"""Adds verification cases (inputs and Keras's outputs) to a .keras file, for jkeras's verify-on-load:
KerasModels.load with LoadOptions.builder().verify(true), or `jkeras inspect --verify MODEL`, runs them and
refuses the model if jkeras's outputs differ from Keras's beyond the tolerance.

    test-fixtures/.venv/bin/python test-fixtures/add_verify_cases.py model.keras [--input x.npy ...]
        [--cases N] [--batch B] [--seed S] [--atol A] [--rtol R] [--out other.keras]

Each --input is one .npy per model input (all inputs of one case, in model input order); without --input, N
cases (default 2) of random normal inputs of batch B (default 2) are made for the model's input shapes (free
time axes get 8 steps; Embedding inputs get valid indices). Keras (the installed one) loads the file, predicts
each case, and the cases go into the zip as assets/jkeras_verify/cases.json (tolerance, case list) and
assets/jkeras_verify/cases.h5 (float32 arrays case<i>/in<j>, case<i>/out<k>). Keras ignores assets it did not
write: the script checks that Keras loads the new file and predicts the same.
"""
import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402

PREFIX = "assets/jkeras_verify/"


def random_inputs(model, batch, rng):
    xs = []
    for t in model.inputs:
        shape = [batch] + [8 if d is None else d for d in t.shape[1:]]
        first = model.get_layer(index=1) if len(model.layers) > 1 else None
        if isinstance(first, keras.layers.Embedding) and len(model.inputs) == 1:
            xs.append(rng.integers(0, first.input_dim, size=shape).astype(np.float32))
        else:
            xs.append(rng.standard_normal(shape).astype(np.float32))
    return xs


def add_cases(path, cases_inputs, atol=1e-5, rtol=1e-5, out=None, check=True):
    """Writes cases (a list of lists of input arrays) with Keras's outputs into the .keras file (or `out`)."""
    model = keras.saving.load_model(path, compile=False)
    cases = []
    buf = io.BytesIO()
    with h5py.File(buf, "w") as h5:
        for i, xs in enumerate(cases_inputs):
            ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
            ys = ys if isinstance(ys, list) else [ys]
            case = {"inputs": [], "outputs": []}
            for j, x in enumerate(xs):
                h5[f"case{i}/in{j}"] = np.asarray(x, np.float32)
                case["inputs"].append(f"case{i}/in{j}")
            for k, y in enumerate(ys):
                h5[f"case{i}/out{k}"] = np.asarray(y, np.float32)
                case["outputs"].append(f"case{i}/out{k}")
            cases.append(case)
    meta = {"format": 1, "atol": atol, "rtol": rtol, "keras_version": keras.__version__, "cases": cases}
    target = out or path
    with tempfile.NamedTemporaryFile(delete=False, dir=os.path.dirname(os.path.abspath(target)), suffix=".keras") as t:
        tmp = t.name
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if not info.filename.startswith(PREFIX):
                dst.writestr(info, src.read(info.filename))
        dst.writestr(PREFIX + "cases.json", json.dumps(meta, indent=1))
        dst.writestr(PREFIX + "cases.h5", buf.getvalue())
    shutil.move(tmp, target)
    if check:  # Keras still loads the file and computes the same
        again = keras.saving.load_model(target, compile=False)
        for xs in cases_inputs:
            a = again.predict(xs if len(xs) > 1 else xs[0], verbose=0)
            b = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
            for u, v in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
                assert np.array_equal(np.asarray(u), np.asarray(v)), "Keras predicts differently after adding cases"
    return target


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("--input", action="append", default=[], help=".npy, one per model input (one case)")
    p.add_argument("--cases", type=int, default=2)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--atol", type=float, default=1e-5)
    p.add_argument("--rtol", type=float, default=1e-5)
    p.add_argument("--out")
    a = p.parse_args(argv)
    if a.input:
        cases = [[np.load(f, allow_pickle=False).astype(np.float32) for f in a.input]]
    else:
        model = keras.saving.load_model(a.model, compile=False)
        rng = np.random.default_rng(a.seed)
        cases = [random_inputs(model, a.batch, rng) for _ in range(a.cases)]
    target = add_cases(a.model, cases, a.atol, a.rtol, a.out)
    print(f"{target}: {len(cases)} verification case(s) added", file=sys.stderr)


if __name__ == "__main__":
    main()
