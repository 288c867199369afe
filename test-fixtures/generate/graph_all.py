#!/usr/bin/env python3
"""Generate the fixture sets built from GraphFamily lists (graph_families.py): fixtures/<set>/{manifest.json,
cases.h5, models/**}. SETS names each set and the module holding its FAMILIES; `graph` holds models with several
inputs or outputs, merge layers, masks, passed states, nested and shared layers.

Same manifest schema as the inference set (fixtures/manifest.json); each case has one `inputs` entry per model
input. Called by generate_all.py (``generate.sh`` = every set, ``generate.sh <set>`` = that set only,
``generate.sh <set>:<family>`` = dev only: just those families)."""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402,F401  (env + determinism before TF import)
from common import FIXTURES, ArrayStore, seed_everything, stable_seed, versions  # noqa: E402

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tf_keras  # noqa: E402

from writers import FORMAT_KERAS, family_formats, reset_states, save_and_reload  # noqa: E402

# Set name -> module with its FAMILIES; each set is its own directory, so sets are regenerated independently.
SETS = {
    "graph": "graph_families",
    "attention": "attention_families",
    "cells": "cells_families",
    "precision": "precision_families",
}
T0 = time.time()


def log(msg):
    print("[%6.1fs] %s" % (time.time() - T0, msg), flush=True)


def as_list(y):
    return [np.asarray(o) for o in y] if isinstance(y, (list, tuple)) else [np.asarray(y)]


def as_inputs(x):
    """A family's inputs as a list, one array per model input."""
    return list(x) if isinstance(x, (list, tuple)) else [x]


def predict(model, xs):
    """Inference-mode prediction (dropout off) of a list of inputs."""
    return as_list(model.predict(xs if len(xs) > 1 else xs[0], batch_size=xs[0].shape[0], verbose=0))


def check_close(a, b, what, tol=1e-6):
    if len(a) != len(b):
        raise AssertionError("%s: %d vs %d outputs" % (what, len(a), len(b)))
    for i, (x, y) in enumerate(zip(a, b)):
        if x.shape != y.shape or not np.allclose(x, y, atol=tol, rtol=tol):
            raise AssertionError("%s output %d: mismatch (shapes %s vs %s)" % (what, i, x.shape, y.shape))


def predict_calls(model, calls, resets):
    """Stateful calls from fresh state (states reset before the call indices in `resets`): one output per call."""
    reset_states(model)
    outs = []
    for n, xs in enumerate(calls):
        if n in resets:
            reset_states(model)
        outs.append(as_list(model.predict_on_batch(xs if len(xs) > 1 else xs[0]))[0])
    reset_states(model)
    return np.stack(outs)


def train(model, fam):
    """A couple of epochs on random data so weights move away from their initial values."""
    rng = np.random.default_rng(stable_seed(fam.name + "/train"))
    n = fam.extra.get("train_n", 32)
    xs = as_inputs(fam.inputs(rng, n))
    shapes = model.output_shape if isinstance(model.output_shape, list) else [model.output_shape]
    ys = [rng.uniform(0.0, 1.0, (n,) + tuple(s[1:])).astype(np.float32) for s in shapes]
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    model.fit(xs if len(xs) > 1 else xs[0], ys if len(ys) > 1 else ys[0], epochs=fam.epochs,
              batch_size=fam.extra.get("train_batch", 16), shuffle=False, verbose=0)


def run_family(fam, store, cases, out_dir):
    seed_everything(stable_seed(fam.name))
    model = fam.build(keras, fam.apis[0])
    train(model, fam)
    weights = [w.copy() for w in model.get_weights()]
    rng = np.random.default_rng(stable_seed(fam.name + "/inputs"))
    xs = as_inputs(fam.inputs(rng, fam.batch))
    n_calls = fam.extra.get("calls", 0)  # a stateful family: calls carrying state, resets before `resets`
    resets = fam.extra.get("resets", ())
    calls = [xs] + [as_inputs(fam.inputs(rng, fam.batch)) for _ in range(n_calls - 1)] if n_calls else None
    for api in fam.apis:
        seed_everything(stable_seed(fam.name + "/" + api))
        k3 = fam.build(keras, api)
        k3.set_weights(weights)
        tfk = fam.build(tf_keras, api)
        tfk.set_weights(weights)
        if calls:
            reset_states(k3)
            reset_states(tfk)
        ref = {"keras3": predict(k3, xs), "tf_keras": predict(tfk, xs)}
        if calls:
            ref_calls = {"keras3": predict_calls(k3, calls, resets), "tf_keras": predict_calls(tfk, calls, resets)}
        d = max(float(np.max(np.abs(a - b))) for a, b in zip(ref["keras3"], ref["tf_keras"]))
        if d > 1e-5:
            log("  NOTE %s/%s: Keras 3 vs tf_keras outputs differ by up to %.3g" % (fam.name, api, d))
        rel_dir = "models/%s/%s" % (fam.name, api)
        for fmt in family_formats(fam.name, fam.formats):
            case_id = "%s__%s__%s" % (fam.name, api, fmt)
            try:
                saved = save_and_reload(fmt, k3, tfk, os.path.join(out_dir, rel_dir), rel_dir)
            except ValueError as e:
                if fmt != "keras3_h5" or "Unknown layer" not in str(e):
                    raise
                # Keras 3 writes the ops a Masking layer's compute_mask ran (NotEqual, Any) into a Functional
                # model's legacy .h5 config and cannot load them back: no reference, no case.
                log("  SKIP %s: Keras 3 cannot reload its own file (%s)" % (case_id, str(e).split(".")[0]))
                for leftover in ("model_keras3.h5",):
                    path = os.path.join(out_dir, rel_dir, leftover)
                    if os.path.exists(path):
                        os.remove(path)
                continue
            if calls:
                reset_states(saved["reloaded"])
            ys = predict(saved["reloaded"], xs)
            check_close(ys, ref[FORMAT_KERAS[fmt]], case_id + " reloaded vs in-memory")
            stateful_calls = None
            if calls:
                yc = predict_calls(saved["reloaded"], calls, resets)
                check_close([yc], [ref_calls[FORMAT_KERAS[fmt]]], case_id + " reloaded calls vs in-memory")
                stateful_calls = {
                    "inputs": store.put(case_id + "/stateful/inputs", np.stack([c[0] for c in calls])),
                    "outputs": store.put(case_id + "/stateful/outputs", yc),
                    "resets": (store.put(case_id + "/stateful/resets", np.asarray(resets, np.int32), np.int32)
                               if resets else None),
                }
            cases.append({
                "id": case_id,
                "family": fam.name,
                "api": api,
                "format": fmt,
                "keras_version": saved["keras_version"],
                "root": "fixtures",
                "model": saved["model"],
                "weights": saved["weights"],
                "inputs": [store.put("%s/inputs/%d" % (case_id, i), x) for i, x in enumerate(xs)],
                "outputs": [store.put("%s/outputs/%d" % (case_id, i), y) for i, y in enumerate(ys)],
                "atol": fam.atol,
                "rtol": fam.rtol,
                "tags": list(fam.tags) + [api, fmt],
                "description": fam.description,
                "stateful_calls": stateful_calls,
            })
            if fam.extra.get("bfloat16_kernels") and fmt == "keras_zip":
                cases.append(bfloat16_case(fam, api, cases[-1], weights, xs, ys, store))
            keras.backend.clear_session()
        log("  %s/%s: formats ok" % (fam.name, api))


def rne_bfloat16(a):
    """float32 -> nearest bfloat16 (ties to even) -> float32 in NumPy, to check Keras's cast against (finite values)."""
    bits = a.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return rounded.astype(np.uint32).view(np.float32)


def bfloat16_case(fam, api, base, weights, xs, ys, store):
    """The case of `base`'s model with every kernel rounded to bfloat16 by Keras: outputs of the float32 model with
    keras.ops.cast(kernel, "bfloat16") set as its kernels. The model file is base's (float32); jkeras rounds it."""
    seed_everything(stable_seed(fam.name + "/" + api + "/bf16"))
    model = fam.build(keras, api)
    model.set_weights(weights)
    rounded = 0
    for v in model.weights:
        leaf = v.path.split("/")[-1]
        if (leaf == "kernel" or leaf.endswith("_kernel")) and len(v.shape) >= 2:
            value = np.asarray(v.numpy())
            cast = np.asarray(keras.ops.convert_to_numpy(
                keras.ops.cast(keras.ops.cast(value, "bfloat16"), "float32")))
            if not np.array_equal(cast.view(np.uint32), rne_bfloat16(value).view(np.uint32)):
                raise AssertionError("%s: keras.ops.cast to bfloat16 is not round-to-nearest-even" % v.path)
            v.assign(cast)
            rounded += 1
    if rounded == 0:
        raise AssertionError(fam.name + ": no kernel to round")
    yb = predict(model, xs)
    err = max(float(np.max(np.abs(a - b))) for a, b in zip(yb, ys))
    log("  %s/%s: %d kernels rounded to bfloat16, outputs moved by up to %.3g" % (fam.name, api, rounded, err))
    case_id = base["id"] + "__bf16"
    case = dict(base)
    case.update({
        "id": case_id,
        "outputs": [store.put("%s/outputs/%d" % (case_id, i), y) for i, y in enumerate(yb)],
        "tags": base["tags"] + ["bfloat16_kernels"],
        "description": "%s; every kernel rounded to bfloat16 (keras.ops.cast), float32 outputs moved by up to %.3g"
                       % (fam.description, err),
    })
    return case


def generate_set(name, only=(), logger=log):
    """Rewrites fixtures/<name>/ (only the families named in `only`, if given)."""
    global log
    log = logger
    families = __import__(SETS[name]).FAMILIES
    out_dir = os.path.join(FIXTURES, name)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    store = ArrayStore()
    cases = []
    for fam in families:
        if only and fam.name not in only:
            continue
        logger("%s family %s" % (name, fam.name))
        run_family(fam, store, cases, out_dir)
    store.write(os.path.join(out_dir, "cases.h5"))
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"generator": versions(), "cases": cases}, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(out_dir) for fn in fns)
    logger("%s: wrote %d cases, %d arrays, %.2f MB" % (name, len(cases), len(store.arrays), total / 1e6))


if __name__ == "__main__":
    set_name = sys.argv[1] if len(sys.argv) > 1 else "graph"
    generate_set(set_name, tuple(sys.argv[2:]))
