"""Checks that real Keras 3 loads what jkeras saves, and predicts and trains identically.

Two steps around the Java step (see ../check-saved.sh):

  check_saved.py prepare DIR   Keras trains a few small compiled models 10 steps and saves them
                               (DIR/training/<name>/keras_saved.keras) plus one more batch (x.npy, y.npy)
  check_saved.py check DIR     after the Java step wrote DIR/saved.json: for every fixture model,
                               h5py reads every HDF5 file jkeras wrote; keras.saving.load_model loads
                               model.keras; a model built from the original config loads model.weights.h5;
                               both predict like jkeras (atol 1e-5 + rtol 1e-5). For every training case,
                               Keras loads jkeras's file with compile=True and one more train_on_batch
                               from it equals one more step from Keras's own file.

Prints one line per model and exits non-zero on any failure.
"""
import io
import json
import os
import sys
import warnings
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("PYTHONHASHSEED", "0")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

tf.config.experimental.enable_op_determinism()
ATOL = RTOL = 1e-5


def read_all_h5(source):
    """Reads every dataset and attribute of an HDF5 file (path or bytes) with h5py; returns the count."""
    f = h5py.File(io.BytesIO(source) if isinstance(source, bytes) else source, "r")
    n = [0]

    def visit(name, obj):
        for k in obj.attrs:
            _ = obj.attrs[k]
        if isinstance(obj, h5py.Dataset):
            _ = obj[()]
            n[0] += 1

    f.visititems(visit)
    f.close()
    return n[0]


def feed(model, arrays):
    """Casts the float32 fixture inputs to the model's input dtypes (Embedding models take int32)."""
    out = []
    for x, t in zip(arrays, model.inputs):
        out.append(x.astype(t.dtype) if "int" in str(t.dtype) else x)
    return out


def compare(model, inputs, java_outputs):
    ys = model.predict(feed(model, inputs), verbose=0)
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    if len(ys) != len(java_outputs):
        return f"{len(ys)} outputs, jkeras has {len(java_outputs)}"
    worst = 0.0
    for y, j in zip(ys, java_outputs):
        y = np.asarray(y)
        if y.shape != j.shape:
            return f"output shape {y.shape}, jkeras {j.shape}"
        bad = np.abs(y - j) > ATOL + RTOL * np.abs(y)
        worst = max(worst, float(np.max(np.abs(y - j))))
        if bad.any():
            return f"{int(bad.sum())} values differ, max |keras - jkeras| = {worst:.3g}"
    return None  # every value within ATOL + RTOL * |keras| (large outputs, e.g. exp, differ by more than ATOL)


def no_skips(caught):
    """Keras warns instead of failing when it skips variables: treat those warnings as failures."""
    bad = [str(w.message) for w in caught if "Skipping" in str(w.message) or "could not be loaded" in str(w.message)]
    return bad[0].splitlines()[0][:200] if bad else None


def check_case(c):
    inputs = [np.load(p) for p in c["inputs"]]
    java = [np.load(p) for p in c["java_outputs"]]
    if c["weights"] is None:  # jkeras refused to write even the weights (e.g. nested models)
        return "REFUSED", c["refusal"].split(": ", 1)[-1][:200]
    n = read_all_h5(c["weights"])
    notes = [f"h5py read {n} datasets of model.weights.h5"]
    if c["keras"] is None:
        return "REFUSED", c["refusal"].split(": ", 1)[-1][:160] + "; " + notes[0]
    with zipfile.ZipFile(c["keras"]) as z:
        names = z.namelist()
        if names != ["metadata.json", "config.json", "model.weights.h5"]:
            return "FAIL", f"zip entries {names}"
        read_all_h5(z.read("model.weights.h5"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = keras.saving.load_model(c["keras"])
    problem = no_skips(caught) or compare(model, inputs, java)
    if problem:
        return "FAIL", "load_model(.keras): " + problem
    # weights: into a model freshly built from the original config (Keras 3 sources) or jkeras's conversion
    src = c["source_model"]
    if c["format"] in ("keras_zip", "keras3_h5"):
        fresh = keras.saving.load_model(src, compile=False)
    elif c["format"] == "keras3_json_weights":
        fresh = keras.models.model_from_json(open(src).read())
    else:
        fresh = keras.models.model_from_json(open(c["config"]).read())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh.load_weights(c["weights"])
    problem = no_skips(caught) or compare(fresh, inputs, java)
    if problem:
        return "FAIL", "load_weights(.weights.h5): " + problem
    return "OK", "load_model and load_weights predict like jkeras; " + notes[0]


# ---------------------------------------------------------------- training cases

def training_models():
    L = keras.layers
    rng = np.random.default_rng(7)

    def data(shape_x, shape_y, classes=None):
        x = rng.standard_normal((8,) + shape_x).astype("float32")
        y = (rng.integers(0, classes, (8,) + shape_y) if classes else rng.standard_normal((8,) + shape_y)).astype(
            "int32" if classes else "float32")
        return x, y

    def seq_lstm():
        m = keras.Sequential([L.Input((6, 3)), L.LSTM(5), L.Dense(2)], name="train_lstm")
        m.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
        return m, data((6, 3), (2,))

    def gru_td():
        m = keras.Sequential([L.Input((5, 4)), L.GRU(4, return_sequences=True), L.TimeDistributed(L.Dense(3))],
                             name="train_gru_td")
        m.compile(optimizer=keras.optimizers.RMSprop(0.005), loss="mae")
        return m, data((5, 4), (5, 3))

    def bidi_functional():
        i = keras.Input((6, 3), name="x")
        h = L.Bidirectional(L.LSTM(3, return_sequences=True), merge_mode="concat")(i)
        h = L.SimpleRNN(4)(h)
        o = L.Dense(3, activation="softmax")(h)
        m = keras.Model(i, o, name="train_bidi")
        m.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return m, data((6, 3), (), classes=3)

    def embedding_adamw():
        m = keras.Sequential([L.Input((7,), dtype="int32"), L.Embedding(10, 4), L.LSTM(3), L.Dense(1)],
                             name="train_embedding")
        m.compile(optimizer=keras.optimizers.AdamW(0.01, weight_decay=0.01, amsgrad=True), loss="mse")
        x = rng.integers(0, 10, (8, 7)).astype("int32")
        y = rng.standard_normal((8, 1)).astype("float32")
        return m, (x, y)

    return {"seq_lstm_adam": seq_lstm, "gru_td_rmsprop": gru_td, "bidi_functional_sgd_nesterov": bidi_functional,
            "embedding_adamw_amsgrad": embedding_adamw}


def training_fixture_cases(fixtures):
    """The `keras_saved` files of the training fixtures (fixtures/training/manifest.json), if present."""
    manifest = os.path.join(fixtures, "training", "manifest.json")
    if not os.path.isfile(manifest):
        return []
    cases = json.load(open(manifest))["cases"]
    return [c for c in cases if c.get("keras_saved")]


def prepare(root, fixtures=None):
    """Keras saves the small training models; the training fixtures' own `keras_saved` files are added."""
    import shutil
    if fixtures:
        cases = training_fixture_cases(fixtures)
        store = h5py.File(os.path.join(fixtures, "training", "training.h5"), "r") if cases else None
        for c in cases:
            d = os.path.join(root, "training", c["id"])
            os.makedirs(d, exist_ok=True)
            shutil.copyfile(os.path.join(fixtures, "training", c["keras_saved"]), os.path.join(d, "keras_saved.keras"))
            n = int(c.get("batch_size") or 4)
            np.save(os.path.join(d, "x.npy"), np.asarray(store[c["x"][0]])[:n])
            np.save(os.path.join(d, "y.npy"), np.asarray(store[c["y"][0]])[:n])
        if cases:
            print(f"prepared {len(cases)} keras_saved files of the training fixtures")
    for name, make in training_models().items():
        d = os.path.join(root, "training", name)
        os.makedirs(d, exist_ok=True)
        keras.utils.set_random_seed(1)
        model, (x, y) = make()
        for _ in range(10):
            model.train_on_batch(x, y)
        model.save(os.path.join(d, "keras_saved.keras"))
        np.save(os.path.join(d, "x.npy"), x)
        np.save(os.path.join(d, "y.npy"), y)
        print(f"prepared {name}: 10 steps, {len(model.optimizer.variables)} optimizer variables")


def one_step(path, x, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = keras.saving.load_model(path, compile=True)
    skipped = no_skips(caught)
    opt = [np.array(v) for v in m.optimizer.variables]
    m.train_on_batch(x, y)
    return m, skipped, opt, [np.array(w) for w in m.weights], [np.array(v) for v in m.optimizer.variables]


def check_training(t):
    d = os.path.dirname(t["keras_saved"])
    x, y = np.load(os.path.join(d, "x.npy")), np.load(os.path.join(d, "y.npy"))
    with zipfile.ZipFile(t["jkeras_saved"]) as z:
        read_all_h5(z.read("model.weights.h5"))
        mine_cfg = json.loads(z.read("config.json"))
    with zipfile.ZipFile(t["keras_saved"]) as z:
        theirs_cfg = json.loads(z.read("config.json"))
    if mine_cfg != theirs_cfg:
        return "FAIL", "config.json differs from Keras's"
    read_all_h5(t["jkeras_weights"])
    ref, _, ref_opt0, ref_w, ref_opt = one_step(t["keras_saved"], x, y)
    mine, skipped, opt0, w, opt = one_step(t["jkeras_saved"], x, y)
    if skipped:
        return "FAIL", skipped
    if len(opt0) != len(ref_opt0) or any(not np.array_equal(a, b) for a, b in zip(opt0, ref_opt0)):
        return "FAIL", "optimizer variables after load_model differ from Keras's own file"
    if int(np.array(mine.optimizer.iterations)) != int(np.array(ref.optimizer.iterations)):
        return "FAIL", "iterations differ"
    for a, b in zip(w + opt, ref_w + ref_opt):
        if a.shape != b.shape or not np.allclose(a, b, atol=1e-7, rtol=1e-6):
            return "FAIL", f"after one more step weights differ (max {np.max(np.abs(a - b)):.3g})"
    exact = all(np.array_equal(a, b) for a, b in zip(w + opt, ref_w + ref_opt))
    # weights-only file: load_weights into Keras's compiled model restores weights and optimizer variables
    fresh = keras.saving.load_model(t["keras_saved"], compile=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh.load_weights(t["jkeras_weights"])
    if no_skips(caught):
        return "FAIL", "load_weights: " + no_skips(caught)
    if any(not np.array_equal(np.array(a), b) for a, b in zip(fresh.optimizer.variables, ref_opt0)):
        return "FAIL", "load_weights(.weights.h5) restores different optimizer variables"
    msg = (f"compile=True, {len(opt0)} optimizer variables restored, iteration {int(opt0[0])}; one more"
           f" train_on_batch equals Keras's {'bit for bit' if exact else 'within 1e-6'}")
    if t.get("jkeras_trained"):
        status, more = check_finetuned(t["jkeras_trained"], t["keras_saved"], x, y)
        if status != "OK":
            return status, "fine-tuned by jkeras: " + more
        msg += "; " + more
    return "OK", msg


def check_finetuned(trained, keras_saved, x, y):
    """A model jkeras fine-tuned and saved (weights, compile config, optimizer state) continues in Keras like
    Keras's own run of the same fit: same weights and optimizer variables (float32 rounding apart), and one more
    train_on_batch from each gives the same weights."""
    with zipfile.ZipFile(trained) as z:
        read_all_h5(z.read("model.weights.h5"))
    ref, _, ref_opt0, ref_w, ref_opt = one_step(keras_saved, x, y)
    mine, skipped, opt0, w, opt = one_step(trained, x, y)
    if skipped:
        return "FAIL", skipped
    if len(opt0) != len(ref_opt0) or int(opt0[0]) != int(ref_opt0[0]):
        return "FAIL", (f"{len(opt0)} optimizer variables at iteration {int(opt0[0])}, Keras's run has"
                        f" {len(ref_opt0)} at {int(ref_opt0[0])}")
    worst_state = max(float(np.max(np.abs(a - b))) for a, b in zip(opt0[1:], ref_opt0[1:])) if len(opt0) > 1 else 0.0
    worst_next = max(float(np.max(np.abs(a - b))) for a, b in zip(w + opt[1:], ref_w + ref_opt[1:]))
    if not all(np.allclose(a, b, atol=1e-4, rtol=1e-4) for a, b in zip(w + opt[1:], ref_w + ref_opt[1:])):
        return "FAIL", f"one more step differs from Keras's run by up to {worst_next:.3g}"
    return "OK", (f"jkeras's fine-tune continues in Keras like Keras's own (optimizer state within {worst_state:.2g},"
                  f" weights after one more step within {worst_next:.2g})")


def _check_one(item):
    """Runs one check in a worker; a crash is a failure of that model, not of the run."""
    kind, c = item
    try:
        return check_case(c) if kind == "case" else check_training(c)
    except Exception as e:
        return "FAIL", f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"


def check(root):
    manifest = json.load(open(os.path.join(root, "saved.json")))
    failures = 0
    counts = {}
    items = [("case", c) for c in manifest["cases"]] + [("training", t) for t in manifest["training"]]
    # Each check is a fresh load_model and a few predictions, independent of the others: one worker per core
    # (spawned, since TensorFlow's threads do not survive fork) roughly halves CI's time on two cores.
    workers = int(os.environ.get("JKERAS_CHECK_WORKERS", os.cpu_count() or 1))
    if workers > 1:
        import multiprocessing
        pool = multiprocessing.get_context("spawn").Pool(workers)
        results = pool.imap(_check_one, items, chunksize=2)
    else:
        pool, results = None, map(_check_one, items)
    for (kind, c), (status, msg) in zip(items, results):
        key = status if kind == "case" else "training " + status
        counts[key] = counts.get(key, 0) + 1
        failures += status == "FAIL"
        print(f"{status:8} {c['id'] if kind == 'case' else 'training/' + c['name']}: {msg}", flush=True)
    if pool:
        pool.close()
        pool.join()
    if not manifest["training"]:
        print("FAIL     no training cases were exported")
        failures += 1
    print("check_saved: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    print(f"{sum(v for k, v in counts.items() if not k.endswith('FAIL'))} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("prepare", "check"):
        print(__doc__)
        sys.exit(2)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.exit(prepare(sys.argv[2], os.path.join(here, "..", "fixtures")) if sys.argv[1] == "prepare"
             else check(sys.argv[2]))
