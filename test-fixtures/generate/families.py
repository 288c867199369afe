"""Model families: one architecture, buildable with Keras 3 (`keras`) or tf.keras 2 (`tf_keras`).

Most families are a linear chain of layers; a functional-only family may instead give
`graph(K, input)` (e.g. a two-output layer). `layers(K)` returns fresh layer objects for the
Keras module K, so the SAME architecture (same layer names, same weight order) can be
built in both Keras 3 and tf_keras and weights copied with get_weights/set_weights.
"""
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

import numpy as np


@dataclass
class Family:
    name: str
    T: int                      # time steps (None not used: fixtures always use a fixed T)
    F: int                      # features
    batch: int                  # batch of the fixture input
    layers: Callable            # K -> list of layers
    description: str
    tags: List[str]
    atol: float = 1e-5
    rtol: float = 1e-5
    train: bool = True          # train on random data (1-2 epochs) before saving
    epochs: int = 2
    stateful_batch: Optional[int] = None   # if set: Input(batch_shape=(stateful_batch, T, F))
    extra: dict = field(default_factory=dict)
    apis: Tuple[str, ...] = ("sequential", "functional")
    graph: Optional[Callable] = None     # (K, input tensor) -> output tensor(s): a functional-only non-chain
    input_dim: Optional[int] = None      # if set: the input is [batch, T] int32 token indices in [0, input_dim)
    formats: Optional[Tuple[str, ...]] = None  # if set: only these formats (e.g. a Keras-3-only layer or name)
    input_scale: float = 1.0             # standard-normal inputs times this (to reach an activation's far ranges)
    reload_changes: Tuple[str, ...] = ()  # formats whose Keras reload computes otherwise than the saved model
                                          # (a Keras loader quirk): their expected outputs are the reloaded model's

    def random_inputs(self, rng, n):
        """n random model inputs: standard-normal [n, T, F], or token indices [n, T] for an Embedding model."""
        if self.input_dim is not None:
            return rng.integers(0, self.input_dim, (n, self.T)).astype(np.int32)
        return (rng.standard_normal((n, self.T, self.F)) * self.input_scale).astype(np.float32)

    def build(self, K, api):
        """Build the model with Keras module K ('sequential' or 'functional' api)."""
        if self.stateful_batch is not None:
            inp_kwargs = {"batch_shape": (self.stateful_batch, self.T, self.F)}
        elif self.input_dim is not None:
            inp_kwargs = {"shape": (self.T,), "dtype": "int32"}
        else:
            inp_kwargs = {"shape": (self.T, self.F)}
        if self.graph is not None:
            if api != "functional":
                raise ValueError("%s is functional only" % self.name)
            inp = K.Input(name="input", **inp_kwargs)
            return K.Model(inputs=inp, outputs=self.graph(K, inp), name=self.name + "_fn")
        layers = self.layers(K)
        if api == "sequential":
            return K.Sequential([K.Input(name="input", **inp_kwargs)] + layers,
                                name=self.name + "_seq")
        if api == "functional":
            inp = K.Input(name="input", **inp_kwargs)
            x = inp
            for layer in layers:
                x = layer(x)
            return K.Model(inputs=inp, outputs=x, name=self.name + "_fn")
        raise ValueError(api)


def _f(name, T, F, layers, desc, tags, **kw):
    return Family(name=name, T=T, F=F, batch=kw.pop("batch", 4), layers=layers,
                  description=desc, tags=tags, **kw)


FAMILIES = [
    _f("lstm_last_dense", 12, 5,
       lambda K: [K.layers.LSTM(7, name="lstm"),
                  K.layers.Dense(3, activation="softmax", name="dense")],
       "LSTM(7, return_sequences=False) -> Dense(3, softmax); features 5, T 12, batch 4",
       ["lstm", "dense", "softmax", "last_output"]),

    _f("lstm_seq_timedistributed", 10, 5,
       lambda K: [K.layers.LSTM(6, return_sequences=True, name="lstm"),
                  K.layers.TimeDistributed(K.layers.Dense(4, activation="tanh", name="dense"),
                                           name="td_dense")],
       "LSTM(6, return_sequences=True) -> TimeDistributed(Dense(4, tanh)); features 5, T 10, batch 4",
       ["lstm", "dense", "tanh", "return_sequences", "time_distributed"]),

    _f("stacked2_lstm_dropout", 12, 5,
       lambda K: [K.layers.LSTM(8, return_sequences=True, name="lstm_1"),
                  K.layers.Dropout(0.3, name="dropout_1"),
                  K.layers.LSTM(5, name="lstm_2"),
                  K.layers.Dense(2, activation="sigmoid", name="dense")],
       "LSTM(8, rs=True) -> Dropout(0.3) -> LSTM(5) -> Dense(2, sigmoid); features 5, T 12, batch 4",
       ["lstm", "stacked", "dropout", "dense", "sigmoid", "return_sequences"]),

    _f("stacked3_lstm_spatialdropout_flatten", 10, 5,
       lambda K: [K.layers.SpatialDropout1D(0.2, name="spatial_dropout"),
                  K.layers.LSTM(6, return_sequences=True, name="lstm_1"),
                  K.layers.Dropout(0.2, name="dropout_1"),
                  K.layers.LSTM(5, return_sequences=True, name="lstm_2"),
                  K.layers.Dropout(0.2, name="dropout_2"),
                  K.layers.LSTM(4, return_sequences=True, name="lstm_3"),
                  K.layers.Flatten(name="flatten"),
                  K.layers.Dense(3, activation="linear", name="dense"),
                  K.layers.Activation("softmax", name="activation")],
       "SpatialDropout1D(0.2) -> LSTM(6, rs=True) -> Dropout(0.2) -> LSTM(5, rs=True) -> Dropout(0.2) "
       "-> LSTM(4, rs=True) -> Flatten -> Dense(3, linear) -> Activation(softmax); features 5, T 10, batch 4",
       ["lstm", "stacked", "dropout", "spatial_dropout", "flatten", "activation_layer", "dense",
        "linear", "softmax", "return_sequences"]),

    _f("lstm_relu_hard_sigmoid", 12, 5,
       lambda K: [K.layers.LSTM(7, activation="relu", recurrent_activation="hard_sigmoid", name="lstm"),
                  K.layers.Dense(2, activation="relu", name="dense")],
       "LSTM(7, activation=relu, recurrent_activation=hard_sigmoid) -> Dense(2, relu); features 5, T 12, "
       "batch 4. NOTE hard_sigmoid differs: Keras 3 relu6(x+3)/6, tf.keras 2 clip(0.2x+0.5,0,1)",
       ["lstm", "relu", "hard_sigmoid", "dense"], atol=1e-5, rtol=1e-4),

    _f("lstm_act_elu_softsign", 12, 5,
       lambda K: [K.layers.LSTM(5, activation="elu", return_sequences=True, name="lstm_1"),
                  K.layers.LSTM(4, activation="softsign", recurrent_activation="sigmoid", name="lstm_2"),
                  K.layers.Dense(1, activation="linear", name="dense")],
       "LSTM(5, activation=elu, rs=True) -> LSTM(4, activation=softsign) -> Dense(1, linear); "
       "features 5, T 12, batch 4",
       ["lstm", "stacked", "elu", "softsign", "dense", "linear", "return_sequences"]),

    _f("lstm_act_swish_gelu", 12, 5,
       lambda K: [K.layers.LSTM(5, activation="swish", return_sequences=True, name="lstm_1"),
                  K.layers.LSTM(4, activation="gelu", name="lstm_2"),
                  K.layers.Dense(2, activation="tanh", name="dense")],
       "LSTM(5, activation=swish, rs=True) -> LSTM(4, activation=gelu) -> Dense(2, tanh); "
       "features 5, T 12, batch 4. NOTE Keras 3 serializes swish as 'silu'; gelu is exact (erf)",
       ["lstm", "stacked", "swish", "silu", "gelu", "dense", "tanh", "return_sequences"]),

    _f("lstm_no_bias", 12, 5,
       lambda K: [K.layers.LSTM(6, use_bias=False, name="lstm"),
                  K.layers.Dense(2, activation="linear", name="dense")],
       "LSTM(6, use_bias=False) -> Dense(2, linear); features 5, T 12, batch 4",
       ["lstm", "no_bias", "dense", "linear"]),

    _f("lstm_unit_forget_bias", 12, 5,
       lambda K: [K.layers.LSTM(6, unit_forget_bias=False, return_sequences=True, name="lstm_1"),
                  K.layers.LSTM(3, unit_forget_bias=True, name="lstm_2"),
                  K.layers.Dense(1, activation="sigmoid", name="dense")],
       "LSTM(6, unit_forget_bias=False, rs=True) -> LSTM(3, unit_forget_bias=True) -> Dense(1, sigmoid); "
       "features 5, T 12, batch 4",
       ["lstm", "stacked", "unit_forget_bias", "dense", "sigmoid", "return_sequences"]),

    _f("lstm_units1_f1", 12, 1,
       lambda K: [K.layers.LSTM(1, name="lstm"),
                  K.layers.Dense(1, activation="linear", name="dense")],
       "LSTM(1) -> Dense(1, linear); features 1, T 12, batch 4",
       ["lstm", "odd_sizes", "dense", "linear"]),

    _f("lstm_units33_f13", 10, 13,
       lambda K: [K.layers.LSTM(33, return_sequences=True, name="lstm_1"),
                  K.layers.LSTM(7, name="lstm_2"),
                  K.layers.Dense(5, activation="softmax", name="dense")],
       "LSTM(33, rs=True) -> LSTM(7) -> Dense(5, softmax); features 13, T 10, batch 4",
       ["lstm", "odd_sizes", "stacked", "dense", "softmax", "return_sequences"], atol=1e-5, rtol=1e-4),

    _f("multivariate_lstm50", 12, 8,
       lambda K: [K.layers.LSTM(50, name="lstm"),
                  K.layers.Dense(1, name="dense")],
       "Multivariate forecaster: LSTM(50) -> Dense(1) over 8 features; T 12, batch 4",
       ["lstm", "dense", "linear", "multivariate", "forecaster"], atol=1e-5, rtol=1e-4),

    # GRU: gate order z, r, h. reset_after=True (Keras 3 / tf.keras 2 default) has bias [2, 3u]
    # (input bias row 0, recurrent bias row 1); reset_after=False (Keras 2.0-2.2 default) bias [3u].
    _f("gru_last_dense", 12, 5,
       lambda K: [K.layers.GRU(7, name="gru"),
                  K.layers.Dense(3, activation="softmax", name="dense")],
       "GRU(7, reset_after=True default) -> Dense(3, softmax); features 5, T 12, batch 4",
       ["gru", "reset_after", "dense", "softmax", "last_output"]),

    _f("gru_reset_before", 12, 5,
       lambda K: [K.layers.GRU(6, reset_after=False, name="gru"),
                  K.layers.Dense(2, activation="linear", name="dense")],
       "GRU(6, reset_after=False) -> Dense(2, linear); features 5, T 12, batch 4",
       ["gru", "reset_before", "dense", "linear"]),

    _f("gru_seq_timedistributed", 10, 5,
       lambda K: [K.layers.GRU(6, return_sequences=True, name="gru"),
                  K.layers.TimeDistributed(K.layers.Dense(4, activation="tanh", name="dense"),
                                           name="td_dense")],
       "GRU(6, return_sequences=True) -> TimeDistributed(Dense(4, tanh)); features 5, T 10, batch 4",
       ["gru", "dense", "tanh", "return_sequences", "time_distributed"]),

    _f("gru_hard_sigmoid_relu", 12, 5,
       lambda K: [K.layers.GRU(6, activation="relu", recurrent_activation="hard_sigmoid",
                               return_sequences=True, name="gru_1"),
                  K.layers.GRU(4, activation="softsign", recurrent_activation="hard_sigmoid",
                               reset_after=False, name="gru_2"),
                  K.layers.Dense(2, activation="linear", name="dense")],
       "GRU(6, activation=relu, recurrent_activation=hard_sigmoid, rs=True) -> GRU(4, activation=softsign, "
       "recurrent_activation=hard_sigmoid, reset_after=False) -> Dense(2, linear); features 5, T 12, batch 4. "
       "NOTE hard_sigmoid differs: Keras 3 relu6(x+3)/6, tf.keras 2 clip(0.2x+0.5,0,1)",
       ["gru", "stacked", "relu", "softsign", "hard_sigmoid", "reset_before", "dense", "linear",
        "return_sequences"]),

    _f("gru_no_bias", 12, 5,
       lambda K: [K.layers.GRU(5, use_bias=False, return_sequences=True, name="gru_1"),
                  K.layers.GRU(3, use_bias=False, reset_after=False, name="gru_2"),
                  K.layers.Dense(2, activation="linear", name="dense")],
       "GRU(5, use_bias=False, rs=True) -> GRU(3, use_bias=False, reset_after=False) -> Dense(2, linear); "
       "features 5, T 12, batch 4",
       ["gru", "stacked", "no_bias", "reset_before", "dense", "linear", "return_sequences"]),

    # SimpleRNN: h = act(x.W + h.U + b).
    _f("simple_rnn_last_dense", 12, 5,
       lambda K: [K.layers.SimpleRNN(8, name="simple_rnn"),
                  K.layers.Dense(3, activation="softmax", name="dense")],
       "SimpleRNN(8) -> Dense(3, softmax); features 5, T 12, batch 4",
       ["simple_rnn", "dense", "softmax", "last_output"]),

    _f("simple_rnn_seq_relu", 10, 5,
       lambda K: [K.layers.SimpleRNN(6, activation="relu", return_sequences=True, name="simple_rnn_1"),
                  K.layers.SimpleRNN(4, use_bias=False, return_sequences=True, name="simple_rnn_2"),
                  K.layers.TimeDistributed(K.layers.Dense(2, activation="linear", name="dense"),
                                           name="td_dense")],
       "SimpleRNN(6, activation=relu, rs=True) -> SimpleRNN(4, use_bias=False, rs=True) "
       "-> TimeDistributed(Dense(2, linear)); features 5, T 10, batch 4",
       ["simple_rnn", "stacked", "relu", "no_bias", "return_sequences", "time_distributed", "dense", "linear"]),

    _f("stacked_lstm_gru_simplernn", 12, 5,
       lambda K: [K.layers.LSTM(8, return_sequences=True, name="lstm"),
                  K.layers.GRU(6, return_sequences=True, name="gru"),
                  K.layers.SimpleRNN(4, name="simple_rnn"),
                  K.layers.Dense(2, activation="sigmoid", name="dense")],
       "LSTM(8, rs=True) -> GRU(6, rs=True) -> SimpleRNN(4) -> Dense(2, sigmoid); features 5, T 12, batch 4",
       ["lstm", "gru", "simple_rnn", "stacked", "dense", "sigmoid", "return_sequences"]),

    # go_backwards: the layer reads the steps last to first; with return_sequences Keras returns the
    # outputs in processing order (output step 0 belongs to input step T-1).
    _f("lstm_go_backwards", 10, 5,
       lambda K: [K.layers.LSTM(6, return_sequences=True, go_backwards=True, name="lstm"),
                  K.layers.TimeDistributed(K.layers.Dense(4, activation="tanh", name="dense"),
                                           name="td_dense")],
       "LSTM(6, go_backwards=True, rs=True) -> TimeDistributed(Dense(4, tanh)); features 5, T 10, batch 4",
       ["lstm", "go_backwards", "return_sequences", "time_distributed", "dense", "tanh"]),

    _f("gru_go_backwards", 12, 5,
       lambda K: [K.layers.GRU(6, go_backwards=True, name="gru"),
                  K.layers.Dense(2, activation="linear", name="dense")],
       "GRU(6, go_backwards=True) -> Dense(2, linear); features 5, T 12, batch 4",
       ["gru", "go_backwards", "dense", "linear", "last_output"]),

    _f("simple_rnn_go_backwards", 10, 5,
       lambda K: [K.layers.SimpleRNN(5, return_sequences=True, go_backwards=True, name="simple_rnn"),
                  K.layers.Flatten(name="flatten"),
                  K.layers.Dense(3, activation="linear", name="dense")],
       "SimpleRNN(5, go_backwards=True, rs=True) -> Flatten -> Dense(3, linear) (Flatten pins the step "
       "order); features 5, T 10, batch 4",
       ["simple_rnn", "go_backwards", "return_sequences", "flatten", "dense", "linear"]),

    # Bidirectional: forward layer + a go_backwards copy; with return_sequences the backward output is
    # flipped back to input order before merging.
    _f("bidirectional_lstm_concat", 12, 5,
       lambda K: [K.layers.Bidirectional(K.layers.LSTM(5, return_sequences=True, name="lstm"),
                                         merge_mode="concat", name="bi_lstm"),
                  K.layers.Bidirectional(K.layers.GRU(4, name="gru"), merge_mode="sum", name="bi_gru"),
                  K.layers.Dense(3, activation="softmax", name="dense")],
       "Bidirectional(LSTM(5, rs=True), concat) -> Bidirectional(GRU(4), sum) -> Dense(3, softmax); "
       "features 5, T 12, batch 4",
       ["bidirectional", "lstm", "gru", "concat", "sum", "return_sequences", "dense", "softmax"]),

    _f("bidirectional_lstm_ave_mul", 10, 5,
       lambda K: [K.layers.Bidirectional(K.layers.LSTM(4, return_sequences=True, name="lstm_1"),
                                         merge_mode="ave", name="bi_ave"),
                  K.layers.Bidirectional(K.layers.LSTM(3, return_sequences=True, name="lstm_2"),
                                         merge_mode="mul", name="bi_mul"),
                  K.layers.TimeDistributed(K.layers.Dense(2, activation="linear", name="dense"),
                                           name="td_dense")],
       "Bidirectional(LSTM(4, rs=True), ave) -> Bidirectional(LSTM(3, rs=True), mul) "
       "-> TimeDistributed(Dense(2, linear)); features 5, T 10, batch 4",
       ["bidirectional", "lstm", "ave", "mul", "return_sequences", "time_distributed", "dense", "linear"]),

    _f("bidirectional_simple_rnn_concat", 10, 5,
       lambda K: [K.layers.Bidirectional(K.layers.SimpleRNN(5, return_sequences=True, name="simple_rnn_1"),
                                         name="bi_rnn"),
                  K.layers.SimpleRNN(4, name="simple_rnn_2"),
                  K.layers.Dense(2, activation="linear", name="dense")],
       "Bidirectional(SimpleRNN(5, rs=True), concat default) -> SimpleRNN(4) -> Dense(2, linear); "
       "features 5, T 10, batch 4",
       ["bidirectional", "simple_rnn", "concat", "return_sequences", "dense", "linear"]),

    _f("bidirectional_repeatvector", 10, 5,
       lambda K: [K.layers.Bidirectional(K.layers.LSTM(5, name="encoder"), name="bi_encoder"),
                  K.layers.RepeatVector(3, name="repeat"),
                  K.layers.LSTM(4, return_sequences=True, name="decoder"),
                  K.layers.TimeDistributed(K.layers.Dense(2, activation="linear", name="dense"),
                                           name="td_dense")],
       "Bidirectional(LSTM(5), concat) -> RepeatVector(3) -> LSTM(4, rs=True) -> TimeDistributed(Dense(2)) "
       "(seq2seq shape); features 5, T 10, batch 4",
       ["bidirectional", "lstm", "repeat_vector", "return_sequences", "time_distributed", "dense", "linear"]),

    # merge_mode=None: the layer has two outputs, which only the functional API can route.
    _f("bidirectional_lstm_none_two_outputs", 10, 5, None,
       "Functional only: Bidirectional(LSTM(4), merge_mode=None) -> [forward, backward]; forward -> Dense(2), "
       "backward -> Dense(3, tanh); two model outputs; features 5, T 10, batch 4",
       ["bidirectional", "lstm", "merge_none", "multi_output", "dense", "tanh"],
       apis=("functional",),
       graph=lambda K, inp: (lambda fb: [K.layers.Dense(2, name="dense_forward")(fb[0]),
                                         K.layers.Dense(3, activation="tanh", name="dense_backward")(fb[1])])(
           K.layers.Bidirectional(K.layers.LSTM(4, name="lstm"), merge_mode=None, name="bi_lstm")(inp))),

    # Embedding: integer token indices [batch, T] -> [batch, T, output_dim] rows of the table
    # [input_dim, output_dim]. Inputs are int32 in Keras; cases.h5 stores them as float32 (exact).
    _f("embedding_lstm", 12, 1,
       lambda K: [K.layers.Embedding(20, 6, name="embedding"),
                  K.layers.LSTM(5, name="lstm"),
                  K.layers.Dense(3, activation="softmax", name="dense")],
       "Embedding(input_dim 20, output_dim 6) -> LSTM(5) -> Dense(3, softmax); inputs are token indices "
       "in [0, 20) ([batch, T] int32 in Keras, stored as float32), T 12, batch 4",
       ["embedding", "lstm", "dense", "softmax", "last_output", "integer_inputs"], input_dim=20),

    _f("embedding_gru_seq", 10, 1,
       lambda K: [K.layers.Embedding(20, 6, name="embedding"),
                  K.layers.GRU(4, return_sequences=True, name="gru"),
                  K.layers.TimeDistributed(K.layers.Dense(2, activation="linear", name="dense"),
                                           name="td_dense")],
       "Embedding(input_dim 20, output_dim 6) -> GRU(4, rs=True) -> TimeDistributed(Dense(2, linear)); "
       "inputs are token indices in [0, 20) ([batch, T] int32 in Keras, stored as float32), T 10, batch 4",
       ["embedding", "gru", "return_sequences", "time_distributed", "dense", "linear", "integer_inputs"],
       input_dim=20),
]
