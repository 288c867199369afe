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
