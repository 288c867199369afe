"""Reference outputs for external Keras 2 recurrent (LSTM, SimpleRNN) conformance files (DL4J model-import test
resources under shared/conformance/...). The files are NOT copied; cases point at them with
"root": "shared". Outputs are computed by tf_keras (tf.keras 2) predict."""
import os

import h5py
import numpy as np
import tf_keras

from common import SHARED_ROOT, stable_seed

EXTERNAL = [
    "conformance/dl4j/modelimport/keras/weights/lstm_tensorflow_2.h5",
    "conformance/dl4j/modelimport/keras/examples/functional_lstm/lstm_functional_tf_keras_2.h5",
    "conformance/dl4j/modelimport/keras/tfkeras/rnn_148.h5",
    "conformance/dl4j/modelimport/keras/weights/simple_rnn_tensorflow_2.h5",
    # Bidirectional (+ RepeatVector in rnn_31)
    "conformance/dl4j/modelimport/keras/tfkeras/rnn_1.h5",
    "conformance/dl4j/modelimport/keras/tfkeras/rnn_5.h5",
    "conformance/dl4j/modelimport/keras/tfkeras/rnn_31.h5",
    "conformance/dl4j/modelimport/keras/weights/bidirectional_lstm_tensorflow_2.h5",
    "conformance/dl4j/modelimport/keras/weights/bidirectional_lstm_no_return_sequences_tensorflow_2.h5",
    # Embedding(4 -> 5, mask_zero=False) -> LSTM: integer token inputs
    "conformance/dl4j/modelimport/keras/weights/embedding_lstm_tensorflow_2.h5",
    # Keras 2.0.6, fixed batch 25: its stored inputs have no predictions, so tf_keras computes them
    "conformance/dl4j/modelimport/keras/examples/simple_lstm/simple_lstm_tf_keras_2_model.h5",
    # Masking(0.0) / Masking(2.0) > LSTM(32): inputs padded with the mask value so that masking fires
    "conformance/dl4j/modelimport/keras/examples/masking/masking_zero_lstm.h5",
    "conformance/dl4j/modelimport/keras/examples/masking/masking_two_lstm.h5",
]
RECURRENT = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn", "Bidirectional": "bidirectional",
             "RepeatVector": "repeat_vector", "Embedding": "embedding"}
DEFAULT_T = 12
BATCH = 4


def _attr(f, key):
    v = f.attrs.get(key)
    if isinstance(v, bytes):
        v = v.decode("utf-8")
    return v


def _embedding_input_dim(model, inp):
    """input_dim of an Embedding fed directly by model input `inp` (its values are indices), else None."""
    for layer in model.layers:
        if layer.__class__.__name__ == "Embedding" and layer.input is inp:
            return layer.input_dim
    return None


def _mask_value(model):
    """The mask_value of the model's first Masking layer, or None."""
    for layer in model.layers:
        if layer.__class__.__name__ == "Masking":
            return float(layer.mask_value)
    return None


def _pad_with_mask(x, value):
    """Rows of [batch, time, features]: row 0 whole, row 1 post-padded (last 3 steps), row 2 pre-padded (first 2),
    row 3 entirely masked -- the cases where Keras's masked-step rules decide the output."""
    x = x.copy()
    t = x.shape[1]
    x[1, max(1, t - 3):] = value
    x[2, :min(2, t - 1)] = value
    x[3, :] = value
    return x


def external_cases(store, log):
    """Returns list of (case dict) for the external files that load; logs the others."""
    cases = []
    for rel in EXTERNAL:
        path = os.path.join(SHARED_ROOT, rel)
        if not os.path.exists(path):
            log("external: missing %s, skipped" % path)
            continue
        stem = os.path.splitext(os.path.basename(rel))[0]
        try:
            model = tf_keras.models.load_model(path, compile=False)
        except Exception as e:  # noqa: BLE001
            log("external: %s does not load with tf_keras: %r" % (rel, e))
            continue
        with h5py.File(path, "r") as f:
            writer_version = _attr(f, "keras_version")
        api = "sequential" if isinstance(model, tf_keras.Sequential) else "functional"
        family = "external_" + stem
        case_id = "%s__%s__external_keras2_h5" % (family, api)
        rng = np.random.default_rng(stable_seed(case_id))
        inputs, shapes = [], []
        mask_value = _mask_value(model)
        for inp in model.inputs:
            shp = list(inp.shape)
            shp[0] = shp[0] or BATCH  # a file that fixes its batch size gets exactly that
            if len(shp) >= 2 and shp[1] is None:
                shp[1] = DEFAULT_T
            shapes.append(tuple(shp))
            input_dim = _embedding_input_dim(model, inp)
            if input_dim is None:
                x = rng.standard_normal(shp).astype(np.float32)
                inputs.append(x if mask_value is None else _pad_with_mask(x, mask_value))
            else:  # token indices for an Embedding, kept float32 (exact) like every stored input
                inputs.append(rng.integers(0, input_dim, shp).astype(np.float32))
        outs = model.predict(inputs if len(inputs) > 1 else inputs[0], batch_size=shapes[0][0], verbose=0)
        if not isinstance(outs, (list, tuple)):
            outs = [outs]
        in_paths = [store.put("%s/inputs/%d" % (case_id, i), x) for i, x in enumerate(inputs)]
        out_paths = [store.put("%s/outputs/%d" % (case_id, i), y) for i, y in enumerate(outs)]
        indices = any(_embedding_input_dim(model, inp) is not None for inp in model.inputs)
        layers = ", ".join("%s(%s)" % (l.__class__.__name__, l.name) for l in model.layers)
        cases.append({
            "id": case_id,
            "family": family,
            "api": api,
            "format": "external_keras2_h5",
            "keras_version": writer_version,
            "root": "shared",
            "model": rel,
            "weights": None,
            "inputs": in_paths,
            "outputs": out_paths,
            "atol": 1e-5,
            "rtol": 1e-5,
            "tags": sorted({RECURRENT[l.__class__.__name__] for l in model.layers
                            if l.__class__.__name__ in RECURRENT})
                    + (["masking"] if mask_value is not None else []) + ["external", "keras2", "dl4j_conformance"],
            "description": "External Keras %s file (%s); layers: %s; input shape(s) %s; expected outputs "
                           "computed by tf_keras %s predict on deterministic %s%s"
                           % (writer_version, rel, layers, shapes, tf_keras.__version__,
                              "integer token-index inputs (stored as float32)" if indices
                              else "standard-normal inputs",
                              "" if mask_value is None else
                              " padded with the mask value %s (row 1 post-, row 2 pre-padded, row 3 all masked)"
                              % mask_value),
            "stateful_calls": None,
        })
        log("external: %s -> %s %s" % (rel, case_id, [o.shape for o in outs]))
    return cases
