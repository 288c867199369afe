"""Model training (``fit``) cases of the training fixtures, plus one ``load_only`` case.

For every case the generator
  1. builds the model (weights from a NumPy generator seeded by the case id: biases non-zero), compiles it,
     builds its optimizer (fresh state) and saves it: models/<id>/initial.keras (+ initial_tf_keras2.h5);
  2. RELOADS that file (keras.saving.load_model) and checks weights and predictions equal the in-memory model;
  3. replays training on a reload with train_on_batch, batch by batch, recording before every step the
     gradients of the loss train_step minimises (tf.GradientTape in a tf.function, as fit traces it) and
     after every step the batch loss train_on_batch returns, the weights and the RNN states;
  4. checks that a standalone optimizer built from the serialized config, fed those gradients, reproduces
     every step (so the recorded gradients ARE what Keras's optimizer received);
  5. runs model.fit on another reload, recording the weights after every batch (on_train_batch_end), and
     checks they equal the train_on_batch replay; records History, saves models/<id>/trained.keras.
"""
import copy
import json
import os
import zipfile
from dataclasses import dataclass, field
from typing import Callable, List, Optional

import numpy as np
import tensorflow as tf
import keras
import tf_keras

from families import Family
from training_common import (FIT_TOLERANCES, TRAINING, check_close, max_abs_diff, optimizer_variable_entries,
                             put_float, put_int, rng_for, serialize, store_optimizer_values, to_jsonable)

T_STEPS, FEATURES = 6, 3
N_SAMPLES, BATCH, EPOCHS = 40, 8, 2
VOCAB = 12
STATEFUL_BATCH = 4


# ---------------------------------------------------------------- model families
def _fam(name, layers, desc, tags, api="sequential", **kw):
    return Family(name=name, T=kw.pop("T", T_STEPS), F=kw.pop("F", FEATURES), batch=BATCH, layers=layers,
                  description=desc, tags=tags, apis=(api,), **kw)


def _regularized_layers(K):
    R = K.regularizers
    return [K.layers.LSTM(5, kernel_regularizer=R.L2(0.01), recurrent_regularizer=R.L1(0.01),
                          bias_regularizer=R.L1L2(l1=0.01, l2=0.01), activity_regularizer=R.L2(0.01), name="lstm"),
            K.layers.Dense(2, kernel_regularizer=R.L1L2(l1=0.005, l2=0.01), bias_regularizer=R.L2(0.01),
                           name="dense")]


def _cnn_shapes_act_layers(K):
    L = K.layers
    return [L.ZeroPadding1D(1, name="zero_pad"), L.Conv1D(4, 2, name="conv"),
            L.Conv1D(4, 3, groups=2, padding="same", name="conv_groups"), L.MaxPooling1D(2, name="max_pool"),
            L.UpSampling1D(2, name="up"), L.Cropping1D((1, 0), name="crop"),
            L.ReLU(max_value=2.0, negative_slope=0.1, name="relu"), L.ELU(alpha=0.5, name="elu"),
            L.AveragePooling1D(2, strides=1, padding="same", name="avg_pool"), L.UnitNormalization(name="unit"),
            L.Permute((2, 1), name="permute"), L.Dense(3, name="dense_1"), L.Reshape((-1, 6), name="reshape"),
            L.LSTM(3, name="lstm"), L.Dense(3, name="dense_2"), L.Softmax(name="softmax")]


FAMILIES = {f.name: f for f in [
    _fam("lstm_dense", lambda K: [K.layers.LSTM(5, name="lstm"), K.layers.Dense(2, name="dense")],
         "LSTM(5) -> Dense(2)", ["lstm", "dense"]),
    _fam("stacked_lstm", lambda K: [K.layers.LSTM(6, return_sequences=True, name="lstm"),
                                    K.layers.LSTM(4, name="lstm_2"), K.layers.Dense(1, name="dense")],
         "LSTM(6, return_sequences) -> LSTM(4) -> Dense(1) (functional)", ["lstm", "stacked", "dense"],
         api="functional"),
    _fam("gru_reset_after", lambda K: [K.layers.GRU(5, name="gru"),
                                       K.layers.Dense(3, activation="softmax", name="dense")],
         "GRU(5, reset_after=True) -> Dense(3, softmax)", ["gru", "reset_after", "dense", "softmax"]),
    _fam("gru_reset_before", lambda K: [K.layers.GRU(5, reset_after=False, name="gru"),
                                        K.layers.Dense(2, name="dense")],
         "GRU(5, reset_after=False) -> Dense(2)", ["gru", "reset_before", "dense"]),
    _fam("simple_rnn", lambda K: [K.layers.SimpleRNN(6, name="simple_rnn"),
                                  K.layers.Dense(1, activation="sigmoid", name="dense")],
         "SimpleRNN(6) -> Dense(1, sigmoid)", ["simple_rnn", "dense", "sigmoid"]),
    _fam("bidirectional_concat", lambda K: [K.layers.Bidirectional(K.layers.LSTM(4, name="lstm"), name="bi"),
                                            K.layers.Dense(3, name="dense")],
         "Bidirectional(LSTM(4), merge_mode=concat) -> Dense(3) (linear: logits) (functional)",
         ["bidirectional", "concat", "lstm", "dense"], api="functional"),
    _fam("bidirectional_sum", lambda K: [K.layers.Bidirectional(K.layers.LSTM(3, name="lstm"), merge_mode="sum",
                                                                name="bi"),
                                         K.layers.Dense(2, name="dense")],
         "Bidirectional(LSTM(3), merge_mode=sum) -> Dense(2)", ["bidirectional", "sum", "lstm", "dense"]),
    _fam("embedding_classifier", lambda K: [K.layers.Embedding(VOCAB, 4, name="embedding"),
                                            K.layers.LSTM(5, name="lstm"),
                                            K.layers.Dense(3, activation="softmax", name="dense")],
         "Embedding(%d, 4) -> LSTM(5) -> Dense(3, softmax); int32 token inputs [n, %d]" % (VOCAB, T_STEPS),
         ["embedding", "lstm", "dense", "softmax", "classifier"], input_dim=VOCAB),
    _fam("seq2seq", lambda K: [K.layers.LSTM(5, return_sequences=True, name="lstm"),
                               K.layers.TimeDistributed(K.layers.Dense(2, name="dense"), name="td_dense")],
         "LSTM(5, return_sequences) -> TimeDistributed(Dense(2)); targets [n, T, 2]",
         ["lstm", "time_distributed", "sequence_output"]),
    _fam("stateful_lstm", lambda K: [K.layers.LSTM(5, stateful=True, name="lstm"), K.layers.Dense(1, name="dense")],
         "Input(batch_shape=(%d, %d, %d)) -> LSTM(5, stateful) -> Dense(1); truncated BPTT: sample k*%d+b is chunk "
         "k of stream b, states carried from batch to batch and across epochs" % (
             STATEFUL_BATCH, T_STEPS, FEATURES, STATEFUL_BATCH),
         ["lstm", "stateful", "dense"], stateful_batch=STATEFUL_BATCH),
    _fam("frozen", lambda K: [K.layers.LSTM(5, return_sequences=True, trainable=False, name="lstm_frozen"),
                              K.layers.LSTM(4, name="lstm"), K.layers.Dense(2, name="dense")],
         "LSTM(5, return_sequences, trainable=False) -> LSTM(4) -> Dense(2): the first layer is frozen "
         "(gradients flow through it, its weights never change)", ["lstm", "frozen", "stacked", "dense"]),
    # the layers of issue 6's coverage work (Conv1D, pooling, shape, normalization and activation layers)
    _fam("conv_norm_act", lambda K: [K.layers.Conv1D(4, 3, padding="causal", dilation_rate=2, name="conv"),
                                     K.layers.LayerNormalization(name="ln"),
                                     K.layers.PReLU(name="prelu"),
                                     K.layers.LSTM(4, return_sequences=True, name="lstm"),
                                     K.layers.GlobalAveragePooling1D(name="global_avg"),
                                     K.layers.Dense(2, name="dense")],
         "Conv1D(4, 3, causal, dilation 2) -> LayerNormalization -> PReLU (alpha [T, 4]) -> LSTM(4, rs) -> "
         "GlobalAveragePooling1D -> Dense(2)",
         ["conv1d", "padding_causal", "dilation_rate", "layer_normalization", "prelu", "lstm",
          "global_average_pooling", "dense"]),
    _fam("cnn_shapes_act", _cnn_shapes_act_layers,
         "ZeroPadding1D(1) -> Conv1D(4, 2) -> Conv1D(4, 3, groups 2, same) -> MaxPooling1D(2) -> UpSampling1D(2) -> "
         "Cropping1D((1, 0)) -> ReLU(max 2, slope 0.1) -> ELU(0.5) -> AveragePooling1D(2, strides 1, same) -> "
         "UnitNormalization -> Permute((2, 1)) -> Dense(3) -> Reshape((-1, 6)) -> LSTM(3) -> Dense(3) -> Softmax",
         ["zero_padding", "conv1d", "groups", "padding_same", "max_pooling", "up_sampling", "cropping",
          "relu_layer", "elu_layer", "average_pooling", "unit_normalization", "permute", "reshape", "lstm",
          "dense", "softmax_layer"]),
    _fam("norm_frozen_bn_rms", lambda K: [K.layers.BatchNormalization(trainable=False, name="bn_frozen"),
                                          K.layers.LSTM(4, return_sequences=True, name="lstm"),
                                          K.layers.RMSNormalization(name="rms_norm"),
                                          K.layers.LeakyReLU(negative_slope=0.2, name="leaky"),
                                          K.layers.GlobalMaxPooling1D(name="global_max"),
                                          K.layers.Dense(2, name="dense")],
         "BatchNormalization(trainable=False: inference mode, moving statistics kept) -> LSTM(4, rs) -> "
         "RMSNormalization -> LeakyReLU(0.2) -> GlobalMaxPooling1D -> Dense(2) (Keras 3 only: RMSNormalization)",
         ["batch_normalization", "frozen", "lstm", "rms_normalization", "leaky_relu_layer", "global_max_pooling",
          "dense"]),
    _fam("regularized", _regularized_layers,
         "LSTM(5, kernel_regularizer L2(0.01), recurrent_regularizer L1(0.01), bias_regularizer L1L2(0.01, 0.01), "
         "activity_regularizer L2(0.01)) -> Dense(2, kernel_regularizer L1L2(0.005, 0.01), bias_regularizer "
         "L2(0.01))", ["lstm", "regularizer", "activity_regularizer", "dense"]),
]}

LOAD_ONLY_FAMILY = _fam("lstm_dropout", lambda K: [K.layers.LSTM(5, dropout=0.2, recurrent_dropout=0.2, name="lstm"),
                                                   K.layers.Dense(2, name="dense")],
                        "LSTM(5, dropout 0.2, recurrent_dropout 0.2) -> Dense(2): LOAD ONLY (random dropout masks "
                        "cannot be matched, so it is never trained); predictions are inference mode (no dropout)",
                        ["lstm", "dropout", "load_only"])


# ---------------------------------------------------------------- optimizers
S = keras.optimizers.schedules
O = keras.optimizers
OPTIMIZERS = {
    # label: (base variant, factory)
    "sgd": ("sgd", lambda: O.SGD(learning_rate=0.05)),
    "sgd_weight_decay": ("sgd", lambda: O.SGD(learning_rate=0.05, weight_decay=0.02)),
    "sgd_momentum": ("sgd_momentum", lambda: O.SGD(learning_rate=0.02, momentum=0.9)),
    "sgd_momentum_cosine_warmup": ("sgd_momentum", lambda: O.SGD(
        learning_rate=S.CosineDecay(0.01, decay_steps=6, alpha=0.1, warmup_target=0.05, warmup_steps=4),
        momentum=0.9)),
    "sgd_nesterov": ("sgd_nesterov", lambda: O.SGD(learning_rate=0.02, momentum=0.9, nesterov=True)),
    "sgd_nesterov_clipnorm": ("sgd_nesterov", lambda: O.SGD(learning_rate=0.05, momentum=0.9, nesterov=True,
                                                            clipnorm=0.1)),
    "adam": ("adam", lambda: O.Adam(learning_rate=0.01)),
    "adam_weight_decay": ("adam", lambda: O.Adam(learning_rate=0.01, weight_decay=0.05)),
    "adam_exponential_decay": ("adam", lambda: O.Adam(learning_rate=S.ExponentialDecay(0.02, decay_steps=4,
                                                                                         decay_rate=0.5,
                                                                                         staircase=True))),
    "adam_amsgrad": ("adam_amsgrad", lambda: O.Adam(learning_rate=0.01, amsgrad=True)),
    "adam_amsgrad_global_clipnorm": ("adam_amsgrad", lambda: O.Adam(learning_rate=0.01, amsgrad=True,
                                                                    global_clipnorm=0.2)),
    "adamw": ("adamw", lambda: O.AdamW(learning_rate=0.01)),
    "rmsprop": ("rmsprop", lambda: O.RMSprop(learning_rate=0.005)),
    "rmsprop_piecewise": ("rmsprop", lambda: O.RMSprop(learning_rate=S.PiecewiseConstantDecay([3, 6],
                                                                                            [0.01, 0.005, 0.002]))),
    "rmsprop_momentum": ("rmsprop_momentum", lambda: O.RMSprop(learning_rate=0.002, momentum=0.5)),
    "rmsprop_momentum_clipvalue": ("rmsprop_momentum", lambda: O.RMSprop(learning_rate=0.002, momentum=0.5,
                                                                         clipvalue=0.01)),
    "rmsprop_centered": ("rmsprop_centered", lambda: O.RMSprop(learning_rate=0.002, centered=True)),
    "adagrad": ("adagrad", lambda: O.Adagrad(learning_rate=0.05)),
    "nadam": ("nadam", lambda: O.Nadam(learning_rate=0.01)),
}
L = keras.losses
LOSSES = {
    # label: (compile argument factory, target kind, loss name)
    "mse": (lambda: "mse", "regression", "mean_squared_error"),
    "mae": (lambda: "mae", "regression", "mean_absolute_error"),
    "huber": (lambda: "huber", "regression", "huber"),
    "huber_delta_0_5": (lambda: L.Huber(delta=0.5), "regression", "huber"),
    "log_cosh": (lambda: "log_cosh", "regression", "log_cosh"),
    "bce": (lambda: "binary_crossentropy", "binary", "binary_crossentropy"),
    "bce_label_smoothing": (lambda: L.BinaryCrossentropy(label_smoothing=0.1), "binary", "binary_crossentropy"),
    "cce": (lambda: "categorical_crossentropy", "categorical", "categorical_crossentropy"),
    "cce_label_smoothing": (lambda: L.CategoricalCrossentropy(label_smoothing=0.1), "categorical",
                            "categorical_crossentropy"),
    "cce_from_logits": (lambda: L.CategoricalCrossentropy(from_logits=True), "categorical",
                        "categorical_crossentropy"),
    "scce": (lambda: "sparse_categorical_crossentropy", "sparse", "sparse_categorical_crossentropy"),
    "scce_from_logits": (lambda: L.SparseCategoricalCrossentropy(from_logits=True), "sparse",
                         "sparse_categorical_crossentropy"),
}


@dataclass
class FitSpec:
    family: str
    optimizer: str
    loss: str
    suffix: str = ""
    epochs: int = EPOCHS
    n_samples: int = N_SAMPLES
    batch_size: int = BATCH
    metrics: Optional[list] = None
    weighted_metrics: Optional[list] = None
    validation_split: Optional[float] = None
    sample_weight: bool = False
    early_stopping: bool = False
    description: str = ""
    tags: List[str] = field(default_factory=list)

    @property
    def case_id(self):
        return "fit__%s__%s__%s%s" % (self.family, self.optimizer, self.loss, self.suffix)


def fit_specs():
    grid = {
        "lstm_dense": [("sgd", "mse"), ("adam", "huber_delta_0_5"), ("rmsprop_centered", "log_cosh")],
        "stacked_lstm": [("sgd_momentum", "mae"), ("adamw", "mse"), ("adagrad", "huber")],
        "gru_reset_after": [("sgd_nesterov_clipnorm", "cce"), ("adam_amsgrad", "cce_label_smoothing"),
                            ("nadam", "cce")],
        "gru_reset_before": [("rmsprop", "log_cosh"), ("adam_exponential_decay", "mse"), ("sgd_weight_decay", "mae")],
        "simple_rnn": [("rmsprop_momentum_clipvalue", "bce"), ("adagrad", "bce_label_smoothing"),
                       ("sgd_momentum_cosine_warmup", "bce")],
        "bidirectional_concat": [("nadam", "cce_from_logits"), ("sgd", "scce_from_logits"),
                                 ("rmsprop_centered", "mse")],
        "bidirectional_sum": [("adamw", "mse"), ("sgd_nesterov", "huber"), ("adam_amsgrad_global_clipnorm", "mae")],
        "embedding_classifier": [("adam", "scce"), ("rmsprop_momentum", "scce"), ("adagrad", "scce")],
        "seq2seq": [("sgd_nesterov", "huber"), ("rmsprop_piecewise", "mae"), ("nadam", "mse")],
        "stateful_lstm": [("adam_weight_decay", "mse"), ("sgd_momentum", "mse"), ("rmsprop_centered", "mae")],
        "frozen": [("adamw", "mae"), ("adam_amsgrad", "mse"), ("rmsprop", "log_cosh")],
        "regularized": [("sgd", "mse"), ("rmsprop_momentum", "huber"), ("nadam", "mae")],
        "conv_norm_act": [("adam", "mse"), ("sgd_momentum", "mae")],
        "cnn_shapes_act": [("rmsprop", "cce"), ("adam", "cce_label_smoothing")],
        "norm_frozen_bn_rms": [("adamw", "mse"), ("sgd", "huber")],
    }
    specs = []
    for fam, pairs in grid.items():
        for opt, loss in pairs:
            n = 5 * STATEFUL_BATCH if fam == "stateful_lstm" else N_SAMPLES
            b = STATEFUL_BATCH if fam == "stateful_lstm" else BATCH
            specs.append(FitSpec(fam, opt, loss, n_samples=n, batch_size=b))
    specs += [
        FitSpec("lstm_dense", "adam", "mse", suffix="__validation_metrics", epochs=3, validation_split=0.25,
                metrics=["mae", "mse"], tags=["validation_split", "metrics"],
                description="validation_split 0.25 (the LAST 10 samples validate), metrics mae and mse: History "
                            "has loss, mae, mse and val_ versions per epoch; 30 training samples, batch 8: 4 steps "
                            "per epoch, the last of 6 samples"),
        FitSpec("embedding_classifier", "adam", "scce", suffix="__validation_accuracy", epochs=3,
                validation_split=0.25, metrics=["accuracy"], tags=["validation_split", "metrics", "accuracy"],
                description="validation_split 0.25, metrics ['accuracy'] (-> sparse_categorical_accuracy)"),
        FitSpec("lstm_dense", "sgd_momentum", "mse", suffix="__early_stopping", epochs=20, validation_split=0.25,
                early_stopping=True, tags=["validation_split", "early_stopping"],
                description="EarlyStopping(monitor='val_loss', patience=1, restore_best_weights=True) over at most "
                            "20 epochs; targets are offset + g(x) for training but offset - g(x) for validation, so "
                            "val_loss falls, then rises: training stops early and the final weights are the best "
                            "epoch's (every val_loss comparison differs by > 1%)"),
        FitSpec("lstm_dense", "rmsprop", "mse", suffix="__sample_weight", n_samples=36, sample_weight=True,
                metrics=["mae"], weighted_metrics=["mae"], tags=["sample_weight", "metrics", "ragged_batch"],
                description="sample_weight [36] (some 0) with 36 samples, batch 8: 5 steps per epoch, the last of "
                            "4 samples; metrics ['mae'] ignore the weights, weighted_metrics ['mae'] use them"),
    ]
    return specs


# ---------------------------------------------------------------- data and weights
def initial_weights(model, rng):
    """Glorot-uniform-like kernels/embeddings and N(0, 0.2) biases from a NumPy generator."""
    out = []
    for w in model.weights:
        shape = tuple(int(d) for d in w.shape)
        if w.name == "moving_variance":   # a variance: positive
            out.append(rng.uniform(0.5, 1.5, shape).astype(np.float32))
        elif w.name == "bias":
            out.append((0.2 * rng.standard_normal(shape)).astype(np.float32))
        elif len(shape) == 2:
            a = np.sqrt(6.0 / (shape[0] + shape[1]))
            out.append(rng.uniform(-a, a, shape).astype(np.float32))
        else:
            out.append(rng.uniform(-0.5, 0.5, shape).astype(np.float32))
    return out


def make_data(spec, fam, model, rng):
    n = spec.n_samples
    if fam.input_dim is not None:
        x = rng.integers(0, fam.input_dim, (n, fam.T)).astype(np.int32)
        x[0, 0], x[0, 1] = 0, fam.input_dim - 1
    elif fam.stateful_batch is not None:
        streams = rng.standard_normal((fam.stateful_batch, (n // fam.stateful_batch) * fam.T, fam.F))
        x = np.concatenate([streams[:, k * fam.T:(k + 1) * fam.T] for k in range(n // fam.stateful_batch)])
        x = x.astype(np.float32)   # sample k*B + b = chunk k of stream b
    else:
        x = rng.standard_normal((n, fam.T, fam.F)).astype(np.float32)
    out_shape = tuple(int(d) for d in model.output_shape[1:])
    kind = LOSSES[spec.loss][1]
    if kind == "regression":
        y = (0.5 * rng.standard_normal((n,) + out_shape)).astype(np.float32)
    elif kind == "binary":
        y = rng.integers(0, 2, (n,) + out_shape).astype(np.float32)
    elif kind == "categorical":
        y = np.eye(out_shape[-1], dtype=np.float32)[rng.integers(0, out_shape[-1], (n,) + out_shape[:-1])]
    else:
        y = rng.integers(0, out_shape[-1], (n,) + out_shape[:-1]).astype(np.int32)
    if spec.early_stopping:
        split = int(np.floor(n * (1.0 - spec.validation_split)))
        # train targets = offset + g(x); validation targets = offset - g(x): fitting the offset first
        # lowers val_loss, fitting g(x) then raises it
        g = 0.5 * np.tanh(1.5 * x[:, -1, :1] * np.asarray([[1.0, -1.0]]))
        g[split:] = -g[split:]
        y = (np.asarray([[1.0, -0.8]]) + g).astype(np.float32)
    sw = None
    if spec.sample_weight:
        sw = rng.uniform(0.0, 2.0, (n,)).astype(np.float32)
        sw[[1, 9, 35]] = 0.0
    return x, y, sw


def batches_of(x, y, sw, batch_size, epochs):
    n = x.shape[0]
    out = []
    for _ in range(epochs):
        for s in range(0, n, batch_size):
            e = min(n, s + batch_size)
            out.append((x[s:e], y[s:e], None if sw is None else sw[s:e]))
    return out


# ---------------------------------------------------------------- weight descriptions
def weight_entries(model):
    """One entry per model weight, in model.weights order: layer, jkeras role name, Keras path, ..."""
    entries = []
    trainable_ids = [id(v) for v in model.trainable_weights]
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.layers.Bidirectional):
            fwd = {id(v) for v in layer.forward_layer.weights}
            roles = [("forward/" if id(v) in fwd else "backward/") + v.name for v in layer.weights]
        else:
            roles = [v.name for v in layer.weights]
        for v, role in zip(layer.weights, roles):
            entries.append({"layer": layer.name, "name": role, "keras_path": v.path,
                            "shape": [int(d) for d in v.shape], "trainable": id(v) in trainable_ids, "_var": v})
    if [e["_var"].path for e in entries] != [v.path for v in model.weights]:
        raise AssertionError("layer-by-layer weights differ from model.weights order")
    if [e["_var"].path for e in entries if e["trainable"]] != [v.path for v in model.trainable_weights]:
        raise AssertionError("trainable order differs from model.trainable_weights")
    return entries


def stateful_layers(model):
    return [l for l in model.layers if getattr(l, "stateful", False)]


def get_states(model):
    return [[np.asarray(s.numpy()).copy() for s in l.states] for l in stateful_layers(model)]


def set_states(model, states):
    for l, ss in zip(stateful_layers(model), states):
        for v, s in zip(l.states, ss):
            v.assign(s)


def reset_states(model):
    for l in stateful_layers(model):
        l.reset_state()


# ---------------------------------------------------------------- Keras computations
class GradFn:
    """The loss Keras's train_step minimises and its gradients, traced like fit (tf.function)."""

    def __init__(self, model):
        self.model = model
        self.uses_logits = None

        @tf.function
        def fn(x, y, sw):
            with tf.GradientTape() as tape:
                y_pred = model(x, training=True)
                if self.uses_logits is None:
                    self.uses_logits = bool(hasattr(y_pred, "_keras_logits")
                                            or y_pred.op.type in ("Softmax", "Sigmoid"))
                loss = model._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sw, training=True)
                reg = tf.add_n([tf.reduce_sum(l) for l in model.losses]) if model.losses else tf.constant(0.0)
            return loss, reg, tape.gradient(loss, model.trainable_weights)

        self.fn = fn

    def __call__(self, x, y, sw):
        """(loss, regularization part, dense grads, sparse grads) - a sparse grad is (indices, values) of
        the tf.IndexedSlices Keras gets for an Embedding (one row per token occurrence), else None."""
        saved = get_states(self.model)   # the forward pass advances stateful RNN states: put them back
        loss, reg, grads = self.fn(tf.constant(x), tf.constant(y), None if sw is None else tf.constant(sw))
        set_states(self.model, saved)
        dense, sparse = [], []
        for g in grads:
            if isinstance(g, tf.IndexedSlices):
                dense.append(tf.convert_to_tensor(g).numpy())
                sparse.append((g.indices.numpy().astype(np.int32), g.values.numpy()))
            else:
                dense.append(g.numpy())
                sparse.append(None)
        return float(loss), float(reg), dense, sparse


class Recorder(keras.callbacks.Callback):
    """Weights and RNN states after every training batch of fit."""

    def __init__(self):
        super().__init__()
        self.weights, self.states, self.running_loss = [], [], []

    def on_train_batch_end(self, batch, logs=None):
        self.weights.append([w.copy() for w in self.model.get_weights()])
        self.states.append(get_states(self.model))
        self.running_loss.append(float(logs["loss"]))


def as_tf_grad(dense, sparse):
    if sparse is None:
        return tf.constant(dense)
    indices, values = sparse
    return tf.IndexedSlices(tf.constant(values), tf.constant(indices.astype(np.int64)),
                            tf.constant(np.asarray(dense.shape, np.int64)))


def check_optimizer_replay(serialized_opt, trainable_traj, grads, sparse_grads, what):
    """A fresh optimizer from the serialized config, fed the recorded gradients at the recorded weights,
    reproduces every recorded step: the gradients are what fit's optimizer received. Returns the max
    difference, and the max difference had the sparse gradients been fed dense (None without sparse ones)."""
    def replay(use_sparse):
        opt = keras.optimizers.deserialize(copy.deepcopy(serialized_opt))   # from_config mutates its argument
        variables = [keras.Variable(t[0].copy()) for t in trainable_traj]
        opt.build(variables)
        worst = 0.0
        for n in range(len(grads)):
            for v, t in zip(variables, trainable_traj):
                v.assign(t[n])
            opt.apply([as_tf_grad(g, sg if use_sparse else None) for g, sg in zip(grads[n], sparse_grads[n])],
                      variables)
            for v, t in zip(variables, trainable_traj):
                worst = max(worst, max_abs_diff(v.numpy(), t[n + 1]))
        return worst

    worst = replay(True)
    if worst > 2e-6:
        raise AssertionError("%s: optimizer replay from the recorded gradients is off by %.3g" % (what, worst))
    has_sparse = any(sg is not None for step in sparse_grads for sg in step)
    return worst, (replay(False) if has_sparse else None)


def tf_keras_copy(fam, weights, compile_config, path):
    """The initial model in tf.keras 2 .h5 (compiled with the equivalent loss/optimizer when possible)."""
    try:
        m = fam.build(tf_keras, fam.apis[0])
        m.set_weights(weights)
        loss = compile_config["loss"]
        if isinstance(loss, dict):
            loss = tf_keras.losses.get({"class_name": loss["class_name"], "config": loss["config"]})
        opt_cfg = dict(compile_config["optimizer"]["config"])
        for k in ("loss_scale_factor", "gradient_accumulation_steps"):
            opt_cfg.pop(k, None)
        if isinstance(opt_cfg["learning_rate"], dict):
            lr = opt_cfg["learning_rate"]
            opt_cfg["learning_rate"] = {"class_name": lr["class_name"], "config": lr["config"]}
        opt = getattr(tf_keras.optimizers, compile_config["optimizer"]["class_name"]).from_config(opt_cfg)
        m.compile(optimizer=opt, loss=loss)
        m.save(path, save_format="h5")
        return tf_keras.models.load_model(path, compile=False)
    except Exception as e:  # noqa: BLE001 - optional file
        if os.path.exists(path):
            os.remove(path)
        return str(e)


def saved_compile_config(keras_file):
    """compile_config exactly as the .keras file's config.json holds it."""
    with zipfile.ZipFile(keras_file) as z:
        return json.loads(z.read("config.json"))["compile_config"]


# ---------------------------------------------------------------- one case
def run_fit_case(spec, store, log, write_tf_keras2=True, write_saved=True):
    """One fit case; `write_tf_keras2` / `write_saved` say whether its tf.keras 2 copy and Keras's trained.keras
    are written (see saved_file_choices)."""
    keras.backend.clear_session()
    fam = FAMILIES[spec.family]
    cid = spec.case_id
    rng = rng_for(cid)
    model_dir_rel = "models/" + cid
    model_dir = os.path.join(TRAINING, model_dir_rel)
    os.makedirs(model_dir, exist_ok=True)

    model = fam.build(keras, fam.apis[0])
    init = initial_weights(model, rng)
    model.set_weights(init)
    opt_label = spec.optimizer
    base_variant, opt_factory = OPTIMIZERS[opt_label]
    loss_factory, ykind, loss_name = LOSSES[spec.loss]
    model.compile(optimizer=opt_factory(), loss=loss_factory(), metrics=spec.metrics,
                  weighted_metrics=spec.weighted_metrics)
    model.optimizer.build(model.trainable_variables)
    x, y, sw = make_data(spec, fam, model, rng)
    pred0 = np.asarray(model.predict(x, batch_size=spec.batch_size, verbose=0))
    reset_states(model)
    initial_path = os.path.join(model_dir, "initial.keras")
    model.save(initial_path)
    compile_config = saved_compile_config(initial_path)

    # tf.keras 2 copy (optional)
    tfk_path = os.path.join(model_dir, "initial_tf_keras2.h5")
    tfk = tf_keras_copy(fam, init, compile_config, tfk_path) if write_tf_keras2 else "not chosen (fixture budget)"
    if isinstance(tfk, str):
        log("    (no tf.keras 2 copy of %s: %s)" % (cid, tfk.splitlines()[0][:120]))
        tfk_rel = None
    else:
        tfk_pred = np.asarray(tfk.predict(x, batch_size=spec.batch_size, verbose=0))
        check_close(tfk_pred, pred0, cid + " tf.keras 2 copy predictions", atol=1e-5, rtol=1e-5)
        tfk_rel = model_dir_rel + "/initial_tf_keras2.h5"

    def reload():
        m = keras.saving.load_model(initial_path)
        for a, b in zip(m.get_weights(), init):
            if not np.array_equal(a, b):
                raise AssertionError(cid + ": reloaded initial weights differ")
        if int(m.optimizer.iterations.numpy()) != 0 or len(m.optimizer.variables) != len(model.optimizer.variables):
            raise AssertionError(cid + ": reloaded optimizer is not fresh")
        return m

    r0 = reload()
    check_close(np.asarray(r0.predict(x, batch_size=spec.batch_size, verbose=0)), pred0,
                cid + " reloaded vs in-memory predictions", atol=1e-6, rtol=1e-6)
    del r0

    # -- the fit run (on a reload): weights after every batch, History
    r2 = reload()
    rec = Recorder()
    callbacks = [rec]
    es = None
    if spec.early_stopping:
        es = keras.callbacks.EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True)
        callbacks.insert(0, es)
    hist = r2.fit(x, y, sample_weight=sw, batch_size=spec.batch_size, epochs=spec.epochs, shuffle=False,
                  validation_split=spec.validation_split or 0.0, callbacks=callbacks, verbose=0)
    epochs_run = len(hist.epoch)
    steps = len(rec.weights)
    if steps % epochs_run:
        raise AssertionError(cid + ": %d steps in %d epochs" % (steps, epochs_run))
    spe = steps // epochs_run
    n_train = x.shape[0] if not spec.validation_split else int(np.floor(x.shape[0] * (1 - spec.validation_split)))
    xt, yt, swt = x[:n_train], y[:n_train], None if sw is None else sw[:n_train]
    train_batches = batches_of(xt, yt, swt, spec.batch_size, epochs_run)
    if len(train_batches) != steps:
        raise AssertionError(cid + ": %d recorded steps vs %d batches" % (steps, len(train_batches)))

    # -- the train_on_batch replay (on another reload), with Keras's gradients before every step
    r1 = reload()
    entries = weight_entries(r1)
    grad_fn = GradFn(r1)
    traj = [[w.copy() for w in r1.get_weights()]]
    state_traj = [get_states(r1)]
    losses, reg_losses, grads, sparse_grads = [], [], [], []
    for n, (xb, yb, swb) in enumerate(train_batches):
        g_loss, g_reg, g, sg = grad_fn(xb, yb, swb)
        logs = r1.train_on_batch(xb, yb, sample_weight=swb, return_dict=True)
        if abs(logs["loss"] - g_loss) > 1e-6 * max(1.0, abs(g_loss)):
            raise AssertionError("%s step %d: train_on_batch loss %r vs GradientTape loss %r"
                                 % (cid, n, logs["loss"], g_loss))
        losses.append(logs["loss"])
        reg_losses.append(g_reg)
        grads.append(g)
        sparse_grads.append(sg)
        traj.append([w.copy() for w in r1.get_weights()])
        state_traj.append(get_states(r1))

    # fit (callback) and train_on_batch agree step for step
    worst_fit = 0.0
    for n in range(steps):
        for a, b in zip(rec.weights[n], traj[n + 1]):
            worst_fit = max(worst_fit, max_abs_diff(a, b))
        for la, lb in zip(rec.states[n], state_traj[n + 1]):
            for a, b in zip(la, lb):
                worst_fit = max(worst_fit, max_abs_diff(a, b))
    if worst_fit > 1e-6:
        raise AssertionError("%s: fit and train_on_batch trajectories differ by %.3g" % (cid, worst_fit))

    trainable_idx = [i for i, e in enumerate(entries) if e["trainable"]]
    trainable_traj = [[traj[n][i] for n in range(steps + 1)] for i in trainable_idx]
    replay, dense_replay = check_optimizer_replay(compile_config["optimizer"], trainable_traj, grads, sparse_grads, cid)
    for i, e in enumerate(entries):
        if not e["trainable"]:
            for n in range(steps + 1):
                if not np.array_equal(traj[n][i], init[i]):
                    raise AssertionError(cid + ": frozen weight %s changed" % e["keras_path"])
    if opt_label == "sgd" and not spec.early_stopping:   # plain SGD: w1 = w0 - lr * g
        for k, i in enumerate(trainable_idx):
            check_close(traj[1][i], init[i] - np.float32(0.05) * grads[0][k], cid + " SGD first step",
                        atol=1e-7, rtol=1e-6)

    # Sensitivity: how far a float32-noise-sized change of the initial weights (relative 1e-6) moves the
    # trajectory - what an exact reimplementation with other rounding can hope to match
    rp = reload()
    prng = rng_for(cid + "/perturb")
    rp.set_weights([w * (1.0 + 1e-6 * prng.standard_normal(w.shape)).astype(np.float32) for w in init])
    sens = []
    for n, (xb, yb, swb) in enumerate(train_batches):
        rp.train_on_batch(xb, yb, sample_weight=swb)
        sens.append(max(max_abs_diff(a, b) for a, b in zip(rp.get_weights(), traj[n + 1])))
    del rp
    if sens[0] > FIT_TOLERANCES["weights_atol_first_step"] / 2:
        raise AssertionError("%s: too sensitive for the tolerances: a 1e-6 relative change of the initial weights "
                             "moves the first step's weights by %.3g" % (cid, sens[0]))
    if sens[-1] > FIT_TOLERANCES["weights_atol_final"] / 2:
        raise AssertionError("%s: too chaotic for the tolerances: a 1e-6 relative change of the initial weights "
                             "moves the final weights by %.3g" % (cid, sens[-1]))

    # History: epoch loss = mean of the batch losses weighted by batch size
    sizes = np.asarray([b[0].shape[0] for b in train_batches], np.float64)
    for e in range(epochs_run):
        sl = slice(e * spe, (e + 1) * spe)
        expect = float(np.sum(np.asarray(losses[sl]) * sizes[sl]) / np.sum(sizes[sl]))
        if abs(expect - hist.history["loss"][e]) > 1e-5 * max(1.0, abs(expect)):
            raise AssertionError("%s epoch %d: History loss %r vs batch-size-weighted mean %r"
                                 % (cid, e, hist.history["loss"][e], expect))

    # stateful: states never reset by fit (the replay above never resets and matches fit exactly);
    # resetting at the epoch boundary would give other weights
    stateful = None
    if stateful_layers(r1):
        r3 = reload()
        for n, (xb, yb, swb) in enumerate(train_batches):
            if n % spe == 0:
                reset_states(r3)
            r3.train_on_batch(xb, yb, sample_weight=swb)
        diff = max(max_abs_diff(a, b) for a, b in zip(r3.get_weights(), traj[-1]))
        if diff < 1e-6:
            raise AssertionError(cid + ": resetting states per epoch should change training")
        if not any(np.any(s != 0) for s in state_traj[spe][0]):
            raise AssertionError(cid + ": states at the epoch boundary are zero")
        stateful = {"reset_rule": "never", "states": []}
        for li, l in enumerate(stateful_layers(r1)):
            for k in range(len(l.states)):
                stateful["states"].append({
                    "layer": l.name, "index": k,
                    "values": put_float(store, "%s/states/%s/%d" % (cid, l.name, k),
                                        np.stack([st[li][k] for st in state_traj]))})

    final = [w.copy() for w in r2.get_weights()]
    early = None
    if es is not None:
        if epochs_run >= spec.epochs:
            raise AssertionError(cid + ": early stopping did not stop")
        vl = hist.history["val_loss"]
        if min(abs(a - b) / b for a, b in zip(vl[1:], vl[:-1])) < 1e-2:
            raise AssertionError(cid + ": an early-stopping decision is too close to call: %r" % vl)
        restored = (es.best_epoch + 1) * spe
        for a, b in zip(final, traj[restored]):
            if max_abs_diff(a, b) > 1e-7:
                raise AssertionError(cid + ": restored weights are not those of the best epoch")
        early = {"stopped_epoch": int(es.stopped_epoch), "best_epoch": int(es.best_epoch),
                 "restored_from_step": int(restored), "monitor": "val_loss", "patience": 1,
                 "restore_best_weights": True}
    else:
        for a, b in zip(final, traj[-1]):
            if max_abs_diff(a, b) > 0:
                raise AssertionError(cid + ": final weights differ from the last step")

    opt_entries = optimizer_variable_entries(r2.optimizer)
    if write_saved:
        saved_path = os.path.join(model_dir, "trained.keras")
        r2.save(saved_path)
        back = keras.saving.load_model(saved_path)
        for a, b in zip(back.get_weights(), final):
            if not np.array_equal(a, b):
                raise AssertionError(cid + ": trained.keras weights differ")
        for e, v, vb in zip(opt_entries, r2.optimizer.variables, back.optimizer.variables):
            if not np.array_equal(np.asarray(v.numpy()), np.asarray(vb.numpy())):
                raise AssertionError(cid + ": trained.keras optimizer variable %s differs" % e["path"])
    store_optimizer_values(store, cid + "/optimizer_variables", opt_entries,
                           [np.asarray(v.numpy()) for v in r2.optimizer.variables])

    # -- manifest entry
    put_x = put_int if x.dtype == np.int32 else put_float
    put_y = put_int if y.dtype == np.int32 else put_float
    weights_json = []
    k = 0
    for i, e in enumerate(entries):
        w = {kk: vv for kk, vv in e.items() if kk != "_var"}
        w["values"] = put_float(store, "%s/weights/%d" % (cid, i), np.stack([traj[n][i] for n in range(steps + 1)]))
        if e["trainable"]:
            w["grads"] = put_float(store, "%s/grads/%d" % (cid, i), np.stack([grads[n][k] for n in range(steps)]))
            w["sparse_grads"] = None
            if sparse_grads[0][k] is not None:
                w["sparse_grads"] = {
                    "indices": [put_int(store, "%s/sparse_grads/%d/%d/indices" % (cid, i, n), sparse_grads[n][k][0])
                                for n in range(steps)],
                    "values": [put_float(store, "%s/sparse_grads/%d/%d/values" % (cid, i, n), sparse_grads[n][k][1])
                               for n in range(steps)]}
            k += 1
        else:
            w["grads"] = None
            w["sparse_grads"] = None
        weights_json.append(w)
    history = {key: put_float(store, "%s/history/%s" % (cid, key), np.asarray(vals, np.float32))
               for key, vals in hist.history.items()}
    opt_obj = r2.optimizer
    tags = ["fit", fam.name, base_variant, opt_label, loss_name, ykind] + list(fam.tags) + list(spec.tags)
    for attr in ("clipnorm", "clipvalue", "global_clipnorm", "weight_decay"):
        if getattr(opt_obj, attr, None):
            tags.append(attr)
    if isinstance(opt_obj._learning_rate, S.LearningRateSchedule):
        tags.append("schedule")
    desc = "%s; %s; loss %s; %d samples, batch %d, %d epoch(s) -> %d steps, shuffle=False" % (
        fam.description, opt_label, spec.loss, n_train, spec.batch_size, epochs_run, steps)
    if spec.description:
        desc += ". " + spec.description
    case = {
        "id": cid,
        "kind": "fit",
        "family": fam.name,
        "api": fam.apis[0],
        "tags": sorted(set(tags), key=tags.index),
        "description": desc,
        "model": model_dir_rel + "/initial.keras",
        "model_tf_keras2": tfk_rel,
        "keras_saved": model_dir_rel + "/trained.keras" if write_saved else None,
        "compile_config": compile_config,
        "optimizer": compile_config["optimizer"],
        "optimizer_variant": base_variant,
        "optimizer_label": opt_label,
        "loss": compile_config["loss"],
        "loss_name": loss_name,
        "loss_label": spec.loss,
        "loss_uses_logits": bool(grad_fn.uses_logits and "crossentropy" in loss_name
                                 and "from_logits" not in spec.loss),
        "metrics": spec.metrics,
        "weighted_metrics": spec.weighted_metrics,
        "x": [put_x(store, cid + "/x/0", x)],
        "y": [put_y(store, cid + "/y/0", y)],
        "sample_weight": None if sw is None else put_float(store, cid + "/sample_weight", sw),
        "batch_size": spec.batch_size,
        "epochs": spec.epochs,
        "epochs_run": epochs_run,
        "steps_per_epoch": spe,
        "steps": steps,
        "shuffle": False,
        "validation_split": spec.validation_split,
        "train_samples": int(n_train),
        "early_stopping": early,
        "stateful": stateful,
        "predictions_initial": [put_float(store, cid + "/predictions_initial/0", pred0)],
        "weights": weights_json,
        "final_weights": [put_float(store, "%s/final_weights/%d" % (cid, i), w) for i, w in enumerate(final)],
        "losses": put_float(store, cid + "/losses", np.asarray(losses, np.float32)),
        "regularization_losses": put_float(store, cid + "/regularization_losses", np.asarray(reg_losses, np.float32)),
        "history": history,
        "optimizer_variables": opt_entries,
        "tolerances": dict(FIT_TOLERANCES),
        "checks": {"fit_vs_train_on_batch_max_diff": worst_fit, "optimizer_replay_max_diff": replay,
                   "optimizer_replay_with_dense_embedding_grads_max_diff": dense_replay,
                   "perturbed_initial_weights_first_step_max_diff": sens[0],
                   "perturbed_initial_weights_final_max_diff": sens[-1]},
    }
    log("    %s: %d steps, loss %.4f -> %.4f, fit==train_on_batch (max diff %.2g), optimizer replay %.2g, "
        "1e-6 perturbation -> %.2g / %.2g%s"
        % (cid, steps, losses[0], losses[-1], worst_fit, replay, sens[0], sens[-1],
           "" if dense_replay is None else " (%.2g if the Embedding grads were dense)" % dense_replay))
    return to_jsonable(case)


def run_load_only(store, log):
    keras.backend.clear_session()
    fam = LOAD_ONLY_FAMILY
    cid = "load_only__" + fam.name
    rng = rng_for(cid)
    model = fam.build(keras, fam.apis[0])
    init = initial_weights(model, rng)
    model.set_weights(init)
    model.compile(optimizer=O.Adam(learning_rate=0.01), loss="mse")
    model.optimizer.build(model.trainable_variables)
    x = rng.standard_normal((BATCH, fam.T, fam.F)).astype(np.float32)
    pred = np.asarray(model.predict(x, batch_size=BATCH, verbose=0))
    rel = "models/%s/model.keras" % cid
    os.makedirs(os.path.join(TRAINING, "models", cid), exist_ok=True)
    model.save(os.path.join(TRAINING, rel))
    back = keras.saving.load_model(os.path.join(TRAINING, rel))
    check_close(np.asarray(back.predict(x, batch_size=BATCH, verbose=0)), pred, cid + " reloaded", 1e-6, 1e-6)
    entries = weight_entries(back)
    weights_json = []
    for i, e in enumerate(entries):
        w = {kk: vv for kk, vv in e.items() if kk != "_var"}
        w["values"] = put_float(store, "%s/weights/%d" % (cid, i), init[i][None])
        w["grads"] = None
        w["sparse_grads"] = None
        weights_json.append(w)
    log("    %s: load only" % cid)
    return to_jsonable({
        "id": cid, "kind": "load_only", "family": fam.name, "api": fam.apis[0],
        "tags": ["load_only"] + list(fam.tags), "description": fam.description,
        "model": rel, "compile_config": saved_compile_config(os.path.join(TRAINING, rel)), "steps": 0,
        "x": [put_float(store, cid + "/x/0", x)],
        "predictions": [put_float(store, cid + "/predictions/0", pred)],
        "weights": weights_json,
        "tolerances": {"atol": 1e-5, "rtol": 1e-5},
    })


def saved_file_choices(specs):
    """Which cases get a tf.keras 2 copy and a trained.keras, chosen over the whole list (so a filtered run writes
    what the full run does). The tf.keras 2 .h5 tests its compile config (optimizer and loss forms): the first case
    of each optimizer label and of each loss. Keras's trained.keras tests reading a saved training state (layer
    variables and optimizer slots, used by check-saved): the first case of each family and of each optimizer label.
    Fewer copies keep the fixtures well under the 30 MB budget."""
    tf_keras2, saved, seen = set(), set(), set()
    for spec in specs:
        if ("opt", spec.optimizer) not in seen or ("loss", spec.loss) not in seen:
            tf_keras2.add(spec.case_id)
        if ("opt", spec.optimizer) not in seen or ("family", spec.family) not in seen:
            saved.add(spec.case_id)
        seen.update({("opt", spec.optimizer), ("loss", spec.loss), ("family", spec.family)})
    return tf_keras2, saved


def fit_cases(store, log, keep):
    cases = []
    specs = fit_specs()
    tf_keras2, saved = saved_file_choices(specs)
    for spec in specs:
        if keep(spec.case_id):
            cases.append(run_fit_case(spec, store, log, spec.case_id in tf_keras2, spec.case_id in saved))
    if keep("load_only__" + LOAD_ONLY_FAMILY.name):
        cases.append(run_load_only(store, log))
    return cases
