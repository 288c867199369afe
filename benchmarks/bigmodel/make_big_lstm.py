"""Writes a ~200 MB LSTM model (issue 10's big-model load) in every format jkeras reads, with an input and
Keras's output for it, into OUT_DIR (not committed: the files are ~200 MB each).

    test-fixtures/.venv/bin/python benchmarks/bigmodel/make_big_lstm.py OUT_DIR [UNITS]

Model: Input(STEPS, FEATURES) -> LSTM(UNITS, return_sequences) -> LSTM(UNITS) -> Dense(1); UNITS=2048 gives
50.6 M float32 parameters = 202 MB of weights. Files: big_lstm.keras and big_lstm_keras3.h5 (Keras 3),
big_lstm_tf_keras2.h5 (tf-keras 2, same weights), input.f32 / expected.f32 (raw little-endian float32) and
big_lstm.json (shapes, parameter count). Deterministic for a given UNITS.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "0")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tf_keras  # noqa: E402

STEPS, FEATURES, BATCH = 8, 32, 2


def build(k, units):
    return k.Sequential([
        k.Input(shape=(STEPS, FEATURES)),
        k.layers.LSTM(units, return_sequences=True, name="lstm_1"),
        k.layers.LSTM(units, name="lstm_2"),
        k.layers.Dense(1, name="out"),
    ])


def main():
    out = sys.argv[1]
    units = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(10)
    keras.utils.set_random_seed(10)
    model = build(keras, units)
    # Small random weights (uniform, scaled to the fan-in) instead of Keras's orthogonal initializer: the same
    # bytes to load, without a QR decomposition of a 8192 x 2048 matrix.
    weights = [(rng.uniform(-1, 1, w.shape) / np.sqrt(w.shape[0])).astype(np.float32) for w in model.get_weights()]
    model.set_weights(weights)
    x = rng.standard_normal((BATCH, STEPS, FEATURES)).astype(np.float32)
    y = model.predict(x, verbose=0).astype(np.float32)
    model.save(os.path.join(out, "big_lstm.keras"))
    model.save(os.path.join(out, "big_lstm_keras3.h5"))
    legacy = build(tf_keras, units)
    legacy.set_weights(weights)
    y2 = legacy.predict(x, verbose=0)
    assert np.allclose(y, y2, atol=1e-5), (y, y2)
    legacy.save(os.path.join(out, "big_lstm_tf_keras2.h5"))
    x.tofile(os.path.join(out, "input.f32"))
    y.tofile(os.path.join(out, "expected.f32"))
    params = int(sum(w.size for w in weights))
    with open(os.path.join(out, "big_lstm.json"), "w") as f:
        json.dump({"units": units, "input_shape": list(x.shape), "output_shape": list(y.shape),
                   "parameters": params, "weight_bytes": 4 * params,
                   "keras_version": keras.__version__, "tf_keras_version": tf_keras.__version__}, f, indent=1)
    print(f"{out}: {params} parameters, {4 * params / 1e6:.1f} MB of float32 weights")


if __name__ == "__main__":
    main()
