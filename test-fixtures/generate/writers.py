"""Format writers: save a model in one of the five formats, then RELOAD it from disk
with the Keras that wrote it, so expected outputs are computed on the model as saved."""
import os
import warnings

import keras
import tf_keras

from common import KERAS3_VERSION, TF_KERAS_VERSION

FORMATS = [
    "keras_zip",                 # Keras 3 native .keras (zip: config.json, metadata.json, model.weights.h5)
    "keras3_h5",                 # Keras 3 legacy single-file .h5 (model.save("x.h5"))
    "tf_keras2_h5",              # tf.keras 2 (tf_keras) single-file .h5
    "keras3_json_weights",       # Keras 3 to_json() + save_weights("x.weights.h5")
    "tf_keras2_json_h5weights",  # tf.keras 2 to_json() + save_weights("x.h5")
]

# Which Keras computes the expected outputs for a format.
FORMAT_KERAS = {
    "keras_zip": "keras3",
    "keras3_h5": "keras3",
    "keras3_json_weights": "keras3",
    "tf_keras2_h5": "tf_keras",
    "tf_keras2_json_h5weights": "tf_keras",
}


# A JSON + weights pair holds the same layer configs and weight layout as its binary twin (Keras 3 to_json() is the
# .keras config.json and save_weights writes the .keras weights layout; tf.keras 2 to_json() is the .h5
# model_config and save_weights the .h5 model_weights group): it tests the JSON and weights-file readers, not the
# layers. So only these families are written in the JSON formats when they have the twin; the others skip them to
# keep the committed fixtures well under the 30 MB budget. Families named by tests that edit a JSON config are here.
JSON_TWIN = {"keras3_json_weights": "keras_zip", "tf_keras2_json_h5weights": "tf_keras2_h5"}
JSON_FORMAT_FAMILIES = {
    # inference set
    "lstm_last_dense", "lstm_seq_timedistributed", "lstm_go_backwards", "gru_last_dense", "gru_reset_before",
    "simple_rnn_last_dense", "stacked_lstm_gru_simplernn", "bidirectional_lstm_concat", "bidirectional_repeatvector",
    "bidirectional_lstm_none_two_outputs", "embedding_lstm", "act_leaky_elu_prelu_softmax", "act_thresholded_relu",
    "act_names_keras3", "act_names_tf_keras", "conv1d_valid_same_pool", "shape_layers_1d", "batchnorm_lstm",
    "layernorm_lstm", "mask_through_norm_act", "airline_lstm", "airline_lstm_stateful",
    # graph set
    "nested_models", "shared_layers", "stateful_return_state", "encoder_decoder_lstm", "bidirectional_states",
    "masking_lstm_stack", "embedding_mask_zero", "merge_elementwise",
}


def family_formats(name, declared=None):
    """The formats a family is written in: its declared ones (None = all five), minus the JSON pairs it need not have."""
    formats = [f for f in FORMATS if declared is None or f in declared]
    if name in JSON_FORMAT_FAMILIES:
        return formats
    return [f for f in formats if JSON_TWIN.get(f) not in formats]


def save_and_reload(fmt, k3_model, tfk_model, abs_dir, rel_dir):
    """Returns dict(model=<rel path>, weights=<rel path or None>, keras_version, reloaded=<model>, K=<module>)."""
    os.makedirs(abs_dir, exist_ok=True)

    def paths(name):
        return os.path.join(abs_dir, name), rel_dir + "/" + name

    if fmt == "keras_zip":
        a, r = paths("model.keras")
        k3_model.save(a)
        m = keras.saving.load_model(a, compile=False)
        return dict(model=r, weights=None, keras_version=KERAS3_VERSION, reloaded=m, K=keras)

    if fmt == "keras3_h5":
        a, r = paths("model_keras3.h5")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # "HDF5 file format is considered legacy"
            k3_model.save(a)
            m = keras.saving.load_model(a, compile=False)
        return dict(model=r, weights=None, keras_version=KERAS3_VERSION, reloaded=m, K=keras)

    if fmt == "keras3_json_weights":
        aj, rj = paths("model_keras3.json")
        aw, rw = paths("model_keras3.weights.h5")
        with open(aj, "w") as f:
            f.write(k3_model.to_json())
        k3_model.save_weights(aw)
        with open(aj) as f:
            m = keras.models.model_from_json(f.read())
        m.load_weights(aw)
        return dict(model=rj, weights=rw, keras_version=KERAS3_VERSION, reloaded=m, K=keras)

    if fmt == "tf_keras2_h5":
        a, r = paths("model_tf_keras2.h5")
        tfk_model.save(a, save_format="h5")
        m = tf_keras.models.load_model(a, compile=False)
        return dict(model=r, weights=None, keras_version=TF_KERAS_VERSION, reloaded=m, K=tf_keras)

    if fmt == "tf_keras2_json_h5weights":
        aj, rj = paths("model_tf_keras2.json")
        aw, rw = paths("model_tf_keras2_weights.h5")
        with open(aj, "w") as f:
            f.write(tfk_model.to_json())
        tfk_model.save_weights(aw, save_format="h5")
        with open(aj) as f:
            m = tf_keras.models.model_from_json(f.read())
        m.load_weights(aw)
        return dict(model=rj, weights=rw, keras_version=TF_KERAS_VERSION, reloaded=m, K=tf_keras)

    raise ValueError(fmt)


def reset_states(model):
    """Reset the state of every stateful RNN layer (Keras 3 has no Model.reset_states)."""
    if hasattr(model, "reset_states"):
        model.reset_states()           # tf_keras
        return
    for layer in model.layers:
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_state"):
            layer.reset_state()


def predict(model, x):
    """Inference-mode prediction (dropout off)."""
    return model.predict(x, batch_size=x.shape[0], verbose=0)


def predict_stateful_sequence(model, xs, resets=()):
    """xs: [N, batch, T, F]. Fresh state, then N consecutive calls carrying state;
    states reset before the call indices listed in `resets`. Returns [N, batch, ...]."""
    import numpy as np
    reset_states(model)
    outs = []
    for n in range(xs.shape[0]):
        if n in resets:
            reset_states(model)
        outs.append(np.asarray(model.predict_on_batch(xs[n])))
    reset_states(model)
    return np.stack(outs, axis=0)
