"""Graph families: models that are not a chain of single-input layers (several inputs and outputs, merge
layers, masks, states passed between layers, nested models, shared layers).

Each family gives `build(K, api)` returning a model built with the Keras module K (`keras` or `tf_keras`), so the
SAME architecture (layer names, weight order) exists in Keras 3 and tf.keras 2 and weights copy over with
get_weights/set_weights; and `inputs(rng, n)` returning the list of model inputs (float32, or int32 tokens).
"""
from dataclasses import dataclass, field
from typing import Callable, List, Tuple

import numpy as np


@dataclass
class GraphFamily:
    name: str
    build: Callable                     # (K, api) -> model
    inputs: Callable                    # (rng, n) -> list of arrays, model input order
    description: str
    tags: List[str]
    apis: Tuple[str, ...] = ("functional",)
    batch: int = 4
    atol: float = 1e-5
    rtol: float = 1e-5
    epochs: int = 2
    extra: dict = field(default_factory=dict)


def normal(*shape):
    """Standard-normal float32 inputs of shape (n,) + shape."""
    return lambda rng, n: rng.standard_normal((n,) + shape).astype(np.float32)


def several(*makers):
    return lambda rng, n: [m(rng, n) for m in makers]


def chain(layers, shape, dtype="float32", name=None):
    """A family builder for a chain of layers, in the Sequential or the Functional API."""
    def build(K, api):
        inp = K.Input(shape=shape, dtype=dtype, name="input")
        if api == "sequential":
            return K.Sequential([inp] + layers(K), name=name + "_seq")
        x = inp
        for layer in layers(K):
            x = layer(x)
        return K.Model(inp, x, name=name + "_fn")
    return build


# Padding patterns of masked batches, one per row (cycled): True = a real step. Post-padded rows of different
# lengths, a pre-padded row, an all-padding row, a gap in the middle, a full row.
def pad_patterns(T):
    return [
        [True] * T,
        [True] * (T - 2) + [False] * 2,
        [True] * 2 + [False] * (T - 2),
        [False] * 3 + [True] * (T - 3),
        [False] * T,
        [True] * 2 + [False] * 2 + [True] * (T - 4),
    ]


def padded(T, F, value=0.0):
    """Standard-normal [n, T, F] with the padded steps of pad_patterns set to `value` (every feature)."""
    def make(rng, n):
        x = rng.standard_normal((n, T, F)).astype(np.float32)
        pats = pad_patterns(T)
        for i in range(n):
            for t, real in enumerate(pats[i % len(pats)]):
                if not real:
                    x[i, t, :] = value
        return x
    return make


def padded_tokens(T, vocab):
    """Token indices [n, T] in [1, vocab) with 0 at the padded steps of pad_patterns."""
    def make(rng, n):
        x = rng.integers(1, vocab, (n, T)).astype(np.int32)
        pats = pad_patterns(T)
        for i in range(n):
            for t, real in enumerate(pats[i % len(pats)]):
                if not real:
                    x[i, t] = 0
        return x
    return make


# ---------------------------------------------------------------- masking

def _masking_lstm_stack(K):
    L = K.layers
    return [L.Masking(0.0, name="masking"),
            L.LSTM(5, return_sequences=True, name="lstm_1"),
            L.Dropout(0.2, name="dropout"),
            L.LSTM(4, name="lstm_2"),
            L.Dense(2, name="dense")]


def _masking_gru_simple_rnn(K):
    L = K.layers
    return [L.Masking(-1.0, name="masking"),
            L.GRU(4, return_sequences=True, name="gru"),
            L.SimpleRNN(4, return_sequences=True, go_backwards=True, name="simple_rnn_back"),
            L.TimeDistributed(L.Dense(3, activation="tanh", name="dense"), name="td"),
            L.Activation("relu", name="relu")]


def _masking_bidirectional(K):
    L = K.layers
    return [L.Masking(0.0, name="masking"),
            L.Bidirectional(L.LSTM(4, return_sequences=True, name="lstm"), name="bi_lstm"),
            L.Bidirectional(L.GRU(3, name="gru"), merge_mode="sum", name="bi_gru"),
            L.Dense(2, name="dense")]


def _masking_bidirectional_none(K, api):
    L = K.layers
    inp = K.Input(shape=(7, 3), name="input")
    m = L.Masking(0.0, name="masking")(inp)
    f, b = L.Bidirectional(L.SimpleRNN(3, return_sequences=True, name="rnn"), merge_mode=None, name="bi_rnn")(m)
    seq = L.Bidirectional(L.LSTM(2, return_sequences=True, name="lstm_mul"), merge_mode="mul",
                          name="bi_back")(m)
    return K.Model(inp, [L.TimeDistributed(L.Dense(2, name="df"), name="td_f")(f),
                         L.TimeDistributed(L.Dense(2, name="db"), name="td_b")(b),
                         L.LSTM(2, name="last")(seq)], name="masking_bidirectional_none")


def _embedding_mask_zero(K):
    L = K.layers
    return [L.Embedding(12, 5, mask_zero=True, name="embedding"),
            L.LSTM(4, return_sequences=True, name="lstm"),
            L.GRU(3, name="gru"),
            L.Dense(2, activation="softmax", name="dense")]


def _masking_zero_output(K, api):
    L = K.layers
    inp = K.Input(shape=(7, 3), name="input")
    m = L.Masking(0.0, name="masking")(inp)
    seq = L.LSTM(4, return_sequences=True, zero_output_for_mask=True, name="lstm_zero_seq")(m)
    last = L.GRU(3, zero_output_for_mask=True, name="gru_zero_last")(m)
    back = L.SimpleRNN(3, go_backwards=True, name="rnn_back_last")(m)
    dense_seq = L.Dense(2, name="dense_seq")(seq)                    # Dense passes the mask on
    after = L.LSTM(2, name="lstm_after_dense")(dense_seq)
    return K.Model(inp, [L.Flatten(name="flatten")(seq), last, back, after], name="masking_zero_output")


# ---------------------------------------------------------------- merge layers

def _merge_elementwise(K, api):
    L = K.layers
    a = K.Input(shape=(6, 3), name="a")
    b = K.Input(shape=(6, 3), name="b")
    x = L.LSTM(4, return_sequences=True, name="lstm_a")(a)
    y = L.GRU(4, return_sequences=True, name="gru_b")(b)
    add = L.Add(name="add")([x, y])
    sub = L.Subtract(name="subtract")([x, y])
    mul = L.Multiply(name="multiply")([x, y])
    avg = L.Average(name="average")([x, y, add])
    mx = L.Maximum(name="maximum")([x, y, sub])
    mn = L.Minimum(name="minimum")([x, y])
    cat = L.Concatenate(name="concat_features")([add, sub, mul, avg, mx, mn])
    out1 = L.Dense(2, name="dense_1")(L.LSTM(3, name="lstm_merged")(cat))
    steps = L.Concatenate(axis=1, name="concat_time")([x, y])          # [b, 12, 4]
    out2 = L.Dense(2, activation="tanh", name="dense_2")(L.Flatten(name="flatten")(steps))
    return K.Model([a, b], [out1, out2], name="merge_elementwise")


def _merge_dot(K, api):
    L = K.layers
    q = K.Input(shape=(5, 4), name="query")
    v = K.Input(shape=(7, 4), name="values")
    eq = L.LSTM(6, return_sequences=True, name="enc_q")(q)              # [b, 5, 6]
    ev = L.LSTM(6, return_sequences=True, name="enc_v")(v)              # [b, 7, 6]
    scores = L.Dot(axes=(2, 2), name="scores")([eq, ev])                # [b, 5, 7]
    weights = L.Activation("softmax", name="attention")(scores)
    context = L.Dot(axes=(2, 1), name="context")([weights, ev])         # [b, 5, 6]
    joined = L.Concatenate(axis=-1, name="joined")([context, eq])       # [b, 5, 12]
    out1 = L.TimeDistributed(L.Dense(2, name="dense_seq"), name="td")(joined)
    lq = L.GRU(3, name="last_q")(q)
    lv = L.GRU(3, name="last_v")(v)
    cos = L.Dot(axes=-1, normalize=True, name="cosine")([lq, lv])       # [b, 1]
    dot1 = L.Dot(axes=1, name="dot_last")([lq, lv])                     # [b, 1]
    back = L.Dot(axes=(1, 1), name="dot_time")([scores, L.Dense(6, name="proj")(eq)])  # [b, 7, 6]
    out2 = L.Dense(1, name="dense_last")(L.Concatenate(name="last")([cos, dot1, lq, L.Flatten(name="fl")(back)]))
    return K.Model([q, v], [out1, out2], name="merge_dot")


FAMILIES = [
    GraphFamily("masking_lstm_stack", chain(_masking_lstm_stack, (7, 3), name="masking_lstm_stack"), padded(7, 3),
                "Masking(0.0) -> LSTM(5, rs) -> Dropout -> LSTM(4) -> Dense(2); rows: full, post-padded (5 and 2 "
                "steps), pre-padded, all padding, a gap; T 7, F 3",
                ["masking", "lstm", "stacked", "dropout", "post_padding", "pre_padding", "all_masked"],
                apis=("sequential", "functional"), batch=6),
    GraphFamily("masking_gru_simple_rnn", chain(_masking_gru_simple_rnn, (7, 3), name="masking_gru_simple_rnn"),
                padded(7, 3, -1.0),
                "Masking(-1.0) -> GRU(4, rs) -> SimpleRNN(4, rs, go_backwards) -> TimeDistributed(Dense(3, tanh)) "
                "-> Activation(relu); outputs at masked steps repeat the previous step's; T 7, F 3",
                ["masking", "gru", "simple_rnn", "go_backwards", "time_distributed", "return_sequences"],
                apis=("sequential", "functional"), batch=6),
    GraphFamily("masking_bidirectional", chain(_masking_bidirectional, (7, 3), name="masking_bidirectional"),
                padded(7, 3),
                "Masking -> Bidirectional(LSTM(4, rs)) (zero_output_for_mask forced on) -> Bidirectional(GRU(3), "
                "sum) -> Dense(2); T 7, F 3",
                ["masking", "bidirectional", "lstm", "gru", "zero_output_for_mask"],
                apis=("sequential", "functional"), batch=6),
    GraphFamily("masking_bidirectional_none", _masking_bidirectional_none, padded(7, 3),
                "Masking -> Bidirectional(SimpleRNN(3, rs), merge_mode=None) -> two TimeDistributed(Dense(2)); "
                "Bidirectional(LSTM(2, rs), mul) -> LSTM(2); three outputs; T 7, F 3",
                ["masking", "bidirectional", "simple_rnn", "merge_none", "multi_output"], batch=6),
    GraphFamily("embedding_mask_zero", chain(_embedding_mask_zero, (8,), "int32", name="embedding_mask_zero"),
                padded_tokens(8, 12),
                "Embedding(12, 5, mask_zero=True) -> LSTM(4, rs) -> GRU(3) -> Dense(2, softmax); token 0 pads "
                "(post, pre, all, gap); T 8",
                ["embedding", "mask_zero", "masking", "lstm", "gru", "integer_inputs"],
                apis=("sequential", "functional"), batch=6),
    GraphFamily("masking_zero_output", _masking_zero_output, padded(7, 3),
                "Masking -> LSTM(4, rs, zero_output_for_mask) -> Flatten (drops the mask); GRU(3, "
                "zero_output_for_mask) last output (zeros for post-padded rows); SimpleRNN(3, go_backwards) last; "
                "Dense(2) on the sequence passes the mask to LSTM(2); four outputs; T 7, F 3",
                ["masking", "zero_output_for_mask", "lstm", "gru", "simple_rnn", "go_backwards", "dense",
                 "multi_output"], batch=6),
    GraphFamily("merge_elementwise", _merge_elementwise, several(normal(6, 3), normal(6, 3)),
                "Two inputs [6, 3]: LSTM(4, rs) and GRU(4, rs); Add, Subtract, Multiply, Average (3 inputs), "
                "Maximum (3 inputs), Minimum; Concatenate(axis=-1) of all six -> LSTM(3) -> Dense(2); "
                "Concatenate(axis=1) of the two branches -> Flatten -> Dense(2, tanh); two outputs",
                ["merge", "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate",
                 "multi_input", "multi_output", "lstm", "gru"]),
    GraphFamily("merge_dot", _merge_dot, several(normal(5, 4), normal(7, 4)),
                "Query [5, 4] and values [7, 4] through LSTMs; Dot(axes=(2, 2)) scores, softmax, Dot(axes=(2, 1)) "
                "context, Concatenate -> TimeDistributed(Dense(2)); GRU last states: Dot(axes=-1, normalize=True) "
                "cosine, Dot(axes=1), Dot(axes=(1, 1)) over time; Concatenate -> Dense(1); two outputs",
                ["merge", "dot", "normalize", "concatenate", "softmax", "multi_input", "multi_output", "lstm",
                 "gru"]),
]
