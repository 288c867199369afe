"""Two kinds of Keras 2 / Keras 3 files whose weights need converting when loaded:

* Keras 2's GPU-only CuDNNLSTM / CuDNNGRU (tf_keras still has the classes; building and saving needs no GPU). The
  expected outputs come from the CPU equivalent model (LSTM / GRU(reset_after=True) with sigmoid gates) loading
  the CuDNN file with load_weights, which converts the weights (hdf5_format._convert_rnn_weights): exactly what
  Keras 2 did when a CuDNN model was run on a CPU.
* Weights stored as float16 or float64 for a float32 model (the HDF5 datasets of a saved model rewritten in another
  dtype); Keras's load_weights casts them to the float32 variables, and predicts with those.
"""
import os

import h5py
import numpy as np
import keras
import tf_keras
from tf_keras.src.layers.rnn.cudnn_gru import CuDNNGRU
from tf_keras.src.layers.rnn.cudnn_lstm import CuDNNLSTM

from common import FIXTURES, TF_KERAS_VERSION, KERAS3_VERSION, stable_seed

T, F, BATCH = 6, 3, 4


def _cudnn_model(K, cudnn):
    """CuDNN layers (cudnn=True) or their CPU equivalents, with the same names and weight order."""
    if cudnn:
        lstm = lambda units, **kw: CuDNNLSTM(units, **kw)  # noqa: E731
        gru = lambda units, **kw: CuDNNGRU(units, **kw)  # noqa: E731
    else:
        lstm = lambda units, **kw: K.layers.LSTM(units, recurrent_activation="sigmoid", **kw)  # noqa: E731
        gru = lambda units, **kw: K.layers.GRU(units, recurrent_activation="sigmoid", reset_after=True, **kw)  # noqa
    return K.Sequential([K.Input((T, F), name="input"),
                         lstm(5, return_sequences=True, name="cudnn_lstm"),
                         K.layers.Bidirectional(lstm(3, return_sequences=True, name="inner_lstm"), name="bi"),
                         gru(4, go_backwards=True, name="cudnn_gru"),
                         K.layers.Dense(2, name="dense")], name="cudnn_seq")


def _case(store, case_id, family, fmt, version, model, weights, x, y, desc, tags, api="sequential"):
    return {
        "id": case_id, "family": family, "api": api, "format": fmt, "keras_version": version, "root": "fixtures",
        "model": model, "weights": weights,
        "inputs": [store.put(case_id + "/inputs/0", x)],
        "outputs": [store.put(case_id + "/outputs/0", y)],
        "atol": 1e-5, "rtol": 1e-5, "tags": tags + [api, fmt], "description": desc, "stateful_calls": None,
    }


def cudnn_cases(store, log):
    rel = "models/cudnn_lstm_gru/sequential"
    out = os.path.join(FIXTURES, rel)
    os.makedirs(out, exist_ok=True)
    m = _cudnn_model(tf_keras, True)
    rng = np.random.default_rng(stable_seed("cudnn_lstm_gru/weights"))
    m.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in m.get_weights()])
    x = np.random.default_rng(stable_seed("cudnn_lstm_gru/inputs")).standard_normal((BATCH, T, F)).astype(np.float32)
    m.save(os.path.join(out, "model_tf_keras2.h5"), save_format="h5")
    with open(os.path.join(out, "model_tf_keras2.json"), "w") as f:
        f.write(m.to_json())
    m.save_weights(os.path.join(out, "model_tf_keras2_weights.h5"), save_format="h5")
    cases = []
    desc = ("tf.keras 2 CuDNNLSTM(5, rs) -> Bidirectional(CuDNNLSTM(3, rs)) -> CuDNNGRU(4, go_backwards) -> Dense(2); "
            "expected: the CPU model (LSTM / GRU reset_after, sigmoid gates) after load_weights converted the CuDNN "
            "weights; T %d, F %d" % (T, F))
    for fmt, model, weights in (("tf_keras2_h5", "model_tf_keras2.h5", None),
                                ("tf_keras2_json_h5weights", "model_tf_keras2.json", "model_tf_keras2_weights.h5")):
        ref = _cudnn_model(tf_keras, False)
        ref.load_weights(os.path.join(out, weights or model))
        y = ref.predict(x, batch_size=BATCH, verbose=0)
        case_id = "cudnn_lstm_gru__sequential__" + fmt
        cases.append(_case(store, case_id, "cudnn_lstm_gru", fmt, TF_KERAS_VERSION, rel + "/" + model,
                           rel + "/" + weights if weights else None, x, y, desc,
                           ["cudnn_lstm", "cudnn_gru", "bidirectional", "go_backwards", "dense", "keras2"]))
    log("  cudnn_lstm_gru: 2 formats ok")
    return cases


def _dtype_model(K):
    return K.Sequential([K.Input((T, F), name="input"),
                         K.layers.Conv1D(4, 2, name="conv"),
                         K.layers.LSTM(5, name="lstm"),
                         K.layers.Dense(2, name="dense")], name="dtype_seq")


def _rewrite_datasets(path, dtype):
    """Every float dataset of an HDF5 weights file rewritten as `dtype` (names, attributes and order kept)."""
    with h5py.File(path, "r+") as f:
        names = []
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) and o.dtype.kind == "f" else None)
        for n in names:
            data = f[n][()]
            attrs = dict(f[n].attrs)
            del f[n]
            f.create_dataset(n, data=np.asarray(data).astype(dtype))
            for k, v in attrs.items():
                f[n].attrs[k] = v


def dtype_cases(store, log):
    cases = []
    rng = np.random.default_rng(stable_seed("weights_dtype/weights"))
    k3 = _dtype_model(keras)
    # values with more precision than float16 keeps, so the cast matters
    weights = [(rng.standard_normal(w.shape) * 0.5).astype(np.float32) for w in k3.get_weights()]
    x = np.random.default_rng(stable_seed("weights_dtype/inputs")).standard_normal((BATCH, T, F)).astype(np.float32)
    for dtype in ("float16", "float64"):
        family = "weights_" + dtype
        rel = "models/%s/sequential" % family
        out = os.path.join(FIXTURES, rel)
        os.makedirs(out, exist_ok=True)
        desc = ("Conv1D(4, 2) -> LSTM(5) -> Dense(2), a float32 model whose weights file stores %s datasets; "
                "expected: Keras's model_from_json + load_weights (which casts to float32) predicting" % dtype)
        for K, fmt, version, wname in ((keras, "keras3_json_weights", KERAS3_VERSION, "model_keras3.weights.h5"),
                                       (tf_keras, "tf_keras2_json_h5weights", TF_KERAS_VERSION,
                                        "model_tf_keras2_weights.h5")):
            m = _dtype_model(K)
            m.set_weights(weights)
            jname = "model_keras3.json" if K is keras else "model_tf_keras2.json"
            with open(os.path.join(out, jname), "w") as f:
                f.write(m.to_json())
            wpath = os.path.join(out, wname)
            if K is keras:
                m.save_weights(wpath)
            else:
                m.save_weights(wpath, save_format="h5")
            _rewrite_datasets(wpath, dtype)
            with open(os.path.join(out, jname)) as f:
                ref = K.models.model_from_json(f.read())
            ref.load_weights(wpath)
            y = ref.predict(x, batch_size=BATCH, verbose=0)
            cases.append(_case(store, "%s__sequential__%s" % (family, fmt), family, fmt, version,
                               rel + "/" + jname, rel + "/" + wname, x, y, desc,
                               ["weights_dtype", dtype, "conv1d", "lstm", "dense"]))
        log("  %s: 2 formats ok" % family)
    return cases
