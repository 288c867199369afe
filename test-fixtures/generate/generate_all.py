#!/usr/bin/env python3
"""Generate all jkeras test fixtures with the REAL Keras 3 and tf.keras 2 (tf_keras).

Writes test-fixtures/fixtures/{manifest.json, cases.h5, models/**, demo/**} (the inference set) and
test-fixtures/fixtures/training/** (the training set, training_all.py).
Run through test-fixtures/generate.sh (which builds the pinned venv).
Arguments (dev only): inference family names / "airline" / "external" rewrite the inference set with ONLY
those cases (the training set is left alone); "training" regenerates only the training set;
"training:<substring>" only the training cases whose id contains <substring>; "<set>" only that set of
graph_all.SETS (e.g. "graph": fixtures/graph/), "<set>:<family>" only that family of it."""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402  (sets env + determinism before TF import)
from common import FIXTURES, ArrayStore, seed_everything, stable_seed, versions  # noqa: E402

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tf_keras  # noqa: E402

import airline  # noqa: E402
from external import external_cases  # noqa: E402
from families import FAMILIES  # noqa: E402
from layer_families import LAYER_FAMILIES  # noqa: E402
from writers import (FORMAT_KERAS, family_formats, predict, predict_stateful_sequence,  # noqa: E402
                     reset_states, save_and_reload)

APIS = ["sequential", "functional"]
T0 = time.time()


def log(msg):
    print("[%6.1fs] %s" % (time.time() - T0, msg), flush=True)


def train_random(model, fam):
    """1-2 epochs on random data so weights/biases move away from their initial values."""
    rng = np.random.default_rng(stable_seed(fam.name + "/train"))
    n = 64
    x = fam.random_inputs(rng, n)
    shapes = model.output_shape if isinstance(model.output_shape, list) else [model.output_shape]
    ys = [rng.uniform(0.0, 1.0, (n,) + tuple(s[1:])).astype(np.float32) for s in shapes]
    y = ys if isinstance(model.output_shape, list) else ys[0]
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    model.fit(x, y, epochs=fam.epochs, batch_size=16, shuffle=False, verbose=0)


def as_list(y):
    """A model's outputs as a list (one entry per model output)."""
    return [np.asarray(o) for o in y] if isinstance(y, (list, tuple)) else [np.asarray(y)]


def max_diff(a, b):
    return max(float(np.max(np.abs(x - y))) for x, y in zip(as_list(a), as_list(b)))


def check_close(a, b, what, tol=1e-6):
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        a, b = as_list(a), as_list(b)
        if len(a) != len(b):
            raise AssertionError("%s: %d vs %d outputs" % (what, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            check_close(x, y, "%s output %d" % (what, i), tol)
        return
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or not np.allclose(a, b, atol=tol, rtol=tol):
        raise AssertionError("%s: mismatch (shapes %s vs %s, max diff %s)" % (
            what, a.shape, b.shape, np.max(np.abs(a - b)) if a.shape == b.shape else "n/a"))


def run_family(fam, weights, x, store, cases, stateful_xs=None):
    """Emit the 2 APIs x 5 formats cases of one family, given trained Keras-3 weights."""
    resets = fam.extra.get("resets")
    formats = family_formats(fam.name, fam.formats)
    makers = {FORMAT_KERAS[f] for f in formats}
    for api in fam.apis:
        seed_everything(stable_seed(fam.name + "/" + api))
        k3 = tfk = None
        if "keras3" in makers:
            k3 = fam.build(keras, api)
            k3.set_weights(weights)
        if "tf_keras" in makers:
            tfk = fam.build(tf_keras, api)
            tfk.set_weights(weights)
        models = {"keras3": k3, "tf_keras": tfk}
        if stateful_xs is None:
            ref = {k: predict(m, x) for k, m in models.items() if m is not None}
        else:
            ref = {k: predict_stateful_sequence(m, stateful_xs, resets or ()) for k, m in models.items()
                   if m is not None}
        d = max_diff(ref["keras3"], ref["tf_keras"]) if len(ref) == 2 else 0.0
        if d > 1e-5:
            log("  NOTE %s/%s: Keras 3 vs tf_keras outputs differ by up to %.3g (semantic difference)"
                % (fam.name, api, d))
        rel_dir = "models/%s/%s" % (fam.name, api)
        for fmt in formats:
            case_id = "%s__%s__%s" % (fam.name, api, fmt)
            saved = save_and_reload(fmt, k3, tfk, os.path.join(FIXTURES, rel_dir), rel_dir)
            m = saved["reloaded"]
            stateful_calls = None
            if stateful_xs is None:
                y = predict(m, x)
                if fmt in fam.reload_changes:
                    log("  NOTE %s: Keras's reload differs from the saved model by up to %.3g (loader quirk;"
                        " the reloaded outputs are expected)" % (case_id, max_diff(y, ref[FORMAT_KERAS[fmt]])))
                else:
                    check_close(y, ref[FORMAT_KERAS[fmt]], case_id + " reloaded vs in-memory")
                xin, yout = x, y
            else:
                ys = predict_stateful_sequence(m, stateful_xs, resets or ())
                check_close(ys, ref[FORMAT_KERAS[fmt]], case_id + " reloaded vs in-memory (stateful)")
                reset_states(m)
                y0 = np.asarray(m.predict_on_batch(stateful_xs[0]))
                reset_states(m)
                check_close(y0, ys[0], case_id + " first call from fresh state")
                xin, yout = stateful_xs[0], ys[0]
                stateful_calls = {
                    "inputs": store.put(case_id + "/stateful/inputs", stateful_xs),
                    "outputs": store.put(case_id + "/stateful/outputs", ys),
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
                "inputs": [store.put(case_id + "/inputs/0", xin)],
                "outputs": [store.put(case_id + "/outputs/%d" % i, o) for i, o in enumerate(as_list(yout))],
                "atol": fam.atol,
                "rtol": fam.rtol,
                "tags": list(fam.tags) + [api, fmt],
                "description": fam.description,
                "stateful_calls": stateful_calls,
            })
            keras.backend.clear_session()
        log("  %s/%s: %d formats ok" % (fam.name, api, len(formats)))


def random_family(fam, store, cases):
    seed_everything(stable_seed(fam.name))
    trainer = keras if fam.formats is None or any(FORMAT_KERAS[f] == "keras3" for f in fam.formats) else tf_keras
    model = fam.build(trainer, fam.apis[0])
    if fam.train:
        train_random(model, fam)
    weights = [w.copy() for w in model.get_weights()]
    rng = np.random.default_rng(stable_seed(fam.name + "/inputs"))
    x = fam.random_inputs(rng, fam.batch)
    if fam.input_dim is not None:  # pin both ends of the index range
        x[0, 0], x[0, 1] = 0, fam.input_dim - 1
    run_family(fam, weights, x, store, cases)


def airline_families(store, cases):
    fam = airline.AIRLINE
    seed_everything(stable_seed(fam.name))
    model = fam.build(keras, "sequential")
    X, y = airline.train_airline(model)
    weights = [w.copy() for w in model.get_weights()]
    pred = predict(model, X)
    n_train = airline.train_size() - airline.LOOK_BACK
    lo, hi = airline.scaled()[2:]
    rmse = lambda a, b: float(np.sqrt(np.mean(((a - b) * (hi - lo)) ** 2)))  # noqa: E731
    log("  airline trained: train RMSE %.2f, test RMSE %.2f passengers"
        % (rmse(pred[:n_train], y[:n_train]), rmse(pred[n_train:], y[n_train:])))
    run_family(fam, weights, airline.case_inputs(), store, cases)

    # Demo files: copy of the sequential .keras, windows, and Keras's forecast on the RELOADED model.
    demo = os.path.join(FIXTURES, "demo")
    os.makedirs(demo, exist_ok=True)
    src = os.path.join(FIXTURES, "models", fam.name, "sequential", "model.keras")
    shutil.copyfile(src, os.path.join(demo, "airline_lstm.keras"))
    reloaded = keras.saving.load_model(os.path.join(demo, "airline_lstm.keras"), compile=False)
    forecast = predict(reloaded, X).astype(np.float32)
    check_close(forecast, pred, "airline demo forecast")
    np.save(os.path.join(demo, "airline_windows.npy"), X.astype(np.float32))
    np.save(os.path.join(demo, "airline_keras_forecast.npy"), forecast)
    with open(os.path.join(demo, "airline_meta.json"), "w") as f:
        json.dump(airline.demo_meta(), f, indent=2)
        f.write("\n")

    # Stateful variants share the trained weights.
    xs = airline.stateful_inputs()
    # Sanity: stateful calls without reset == non-stateful LSTM over the concatenated stream.
    seq = keras.Sequential([keras.Input(shape=(xs.shape[0] * xs.shape[2], 1)),
                            keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(1)])
    seq.set_weights(weights)
    full = predict(seq, np.concatenate(list(xs), axis=1))            # [B, N*T, 1]
    expect = np.stack([full[:, (n + 1) * xs.shape[2] - 1, :] for n in range(xs.shape[0])])
    for sfam in (airline.AIRLINE_STATEFUL, airline.AIRLINE_STATEFUL_RESET):
        k3 = sfam.build(keras, "sequential")
        k3.set_weights(weights)
        got = predict_stateful_sequence(k3, xs, sfam.extra["resets"] or ())
        if not sfam.extra["resets"]:
            check_close(got, expect, "stateful carry vs concatenated sequence", tol=1e-5)
        else:
            r = sfam.extra["resets"][0]
            cont = predict(seq, np.concatenate(list(xs[r:]), axis=1))
            check_close(got[r:], np.stack([cont[:, (n + 1) * xs.shape[2] - 1, :]
                                           for n in range(xs.shape[0] - r)]),
                        "stateful with reset vs concatenated sequence", tol=1e-5)
        run_family(sfam, weights, None, store, cases, stateful_xs=xs)


INFERENCE_OUTPUTS = ["manifest.json", "cases.h5", "models", "demo"]   # fixtures/training/, graph/ are other sets


def clear_inference_outputs():
    """Deletes the inference set's files (not fixtures/training/, which training_all.py owns)."""
    os.makedirs(FIXTURES, exist_ok=True)
    for name in INFERENCE_OUTPUTS:
        path = os.path.join(FIXTURES, name)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)


def main():
    log("versions: %s" % versions())
    args = sys.argv[1:]
    training_args = [a for a in args if a == "training" or a.startswith("training:")]
    from graph_all import SETS, generate_set
    set_args = {name: [a for a in args if a == name or a.startswith(name + ":")] for name in SETS}
    inference_args = [a for a in args if a not in training_args and not any(a in v for v in set_args.values())]
    if not args or inference_args:
        generate_inference(set(inference_args))
    for name, chosen in set_args.items():
        if not args or chosen:
            generate_set(name, tuple(a.split(":", 1)[1] for a in chosen if ":" in a), log)
    if not args or training_args:
        from training_all import generate_training
        filters = tuple(a.split(":", 1)[1] for a in training_args if ":" in a)
        generate_training(filters, log)


def generate_inference(only):
    clear_inference_outputs()
    store = ArrayStore()
    cases = []
    for fam in FAMILIES + LAYER_FAMILIES:
        if only and fam.name not in only:
            continue
        log("family %s" % fam.name)
        random_family(fam, store, cases)
    if not only or "airline" in only:
        log("family airline_lstm (+ stateful)")
        airline_families(store, cases)
    if not only or "cudnn" in only:
        from cudnn_dtype import cudnn_cases, dtype_cases
        log("CuDNN layers and float16/float64 weights")
        cases.extend(cudnn_cases(store, log))
        cases.extend(dtype_cases(store, log))
    if not only or "external" in only:
        log("external Keras 2 files")
        cases.extend(external_cases(store, log))

    store.write(os.path.join(FIXTURES, "cases.h5"))
    manifest = {"generator": versions(), "cases": cases}
    with open(os.path.join(FIXTURES, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    training = os.path.join(FIXTURES, "training")
    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(FIXTURES) for fn in fns
                if not dp.startswith(training))
    log("wrote %d cases, %d arrays, inference fixtures total %.2f MB" % (len(cases), len(store.arrays), total / 1e6))


if __name__ == "__main__":
    main()
