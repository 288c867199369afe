"""Graph families: models that are not a chain of single-input layers (several inputs and outputs, merge
layers, masks, states passed between layers, nested models, shared layers).

Each family gives `build(K, api)` returning a model built with the Keras module K (`keras` or `tf_keras`), so the
SAME architecture (layer names, weight order) exists in Keras 3 and tf.keras 2 and weights copy over with
get_weights/set_weights; and `inputs(rng, n)` returning the list of model inputs (float32, or int32 tokens).
"""
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

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
    formats: Optional[Tuple[str, ...]] = None  # None = every format in writers.FORMATS (fewer keep the set small)


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


# ---------------------------------------------------------------- states: return_state, initial_state

def _encoder_decoder_lstm(K, api):
    L = K.layers
    enc_in = K.Input(shape=(6, 3), name="encoder_input")
    dec_in = K.Input(shape=(5, 2), name="decoder_input")
    enc_out, h, c = L.LSTM(4, return_state=True, name="encoder")(enc_in)
    seq, dh, dc = L.LSTM(4, return_sequences=True, return_state=True, name="decoder")(dec_in, initial_state=[h, c])
    out = L.TimeDistributed(L.Dense(2, name="dense"), name="td")(seq)
    return K.Model([enc_in, dec_in], [out, h, dc, enc_out], name="encoder_decoder_lstm")


def _encoder_decoder_gru_simple_rnn(K, api):
    L = K.layers
    enc_in = K.Input(shape=(6, 3), name="encoder_input")
    dec_in = K.Input(shape=(4, 3), name="decoder_input")
    seq, h = L.GRU(3, return_sequences=True, return_state=True, name="encoder")(enc_in)
    back, hb = L.SimpleRNN(3, return_state=True, go_backwards=True, name="encoder_back")(enc_in)
    out, h2 = L.SimpleRNN(3, return_state=True, name="decoder")(dec_in, initial_state=h)
    out2 = L.GRU(3, name="decoder_2")(dec_in, initial_state=[hb])
    return K.Model([enc_in, dec_in], [out, h2, out2, L.TimeDistributed(L.Dense(2, name="d"), name="td")(seq)],
                   name="encoder_decoder_gru_simple_rnn")


def _initial_state_from_inputs(K, api):
    L = K.layers
    x = K.Input(shape=(5, 2), name="x")
    h0 = K.Input(shape=(4,), name="h0")
    c0 = K.Input(shape=(4,), name="c0")
    seq = L.LSTM(4, return_sequences=True, name="lstm")(x, initial_state=[h0, c0])
    last = L.GRU(4, name="gru")(x, initial_state=h0)
    return K.Model([x, h0, c0], [L.TimeDistributed(L.Dense(2, name="d"), name="td")(seq), last],
                   name="initial_state_from_inputs")


def _bidirectional_states(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="x")
    y = K.Input(shape=(4, 2), name="y")
    out, fh, fc, bh, bc = L.Bidirectional(L.LSTM(3, return_state=True, name="lstm"), name="bi_lstm")(x)
    seq = L.Bidirectional(L.GRU(3, return_sequences=True, name="gru"), merge_mode="sum", name="bi_gru")(
        y, initial_state=[fh, bh])
    f2, b2, sf, sb = L.Bidirectional(L.SimpleRNN(2, return_state=True, name="rnn"), merge_mode=None,
                                     name="bi_rnn")(y)
    return K.Model([x, y], [L.Dense(2, name="d")(out), fh, bc, L.TimeDistributed(L.Dense(2, name="d2"),
                                                                                  name="td")(seq), f2, sb],
                   name="bidirectional_states")


def _masked_encoder_decoder(K, api):
    L = K.layers
    enc_in = K.Input(shape=(7, 3), name="encoder_input")
    dec_in = K.Input(shape=(7, 3), name="decoder_input")
    _, h, c = L.LSTM(4, return_state=True, name="encoder")(L.Masking(0.0, name="enc_mask")(enc_in))
    seq = L.LSTM(4, return_sequences=True, name="decoder")(L.Masking(0.0, name="dec_mask")(dec_in),
                                                             initial_state=[h, c])
    return K.Model([enc_in, dec_in], [L.TimeDistributed(L.Dense(2, name="d"), name="td")(seq), h],
                   name="masked_encoder_decoder")


def _stateful_return_state(K, api):
    L = K.layers
    x = K.Input(batch_shape=(3, 5, 2), name="x")
    seq, h, c = L.LSTM(4, stateful=True, return_sequences=True, return_state=True, name="lstm")(x)
    last, g = L.GRU(3, stateful=True, return_state=True, name="gru")(seq)
    flat = L.Flatten(name="flatten")(L.TimeDistributed(L.Dense(2, name="d"), name="td")(seq))
    return K.Model(x, L.Concatenate(name="joined")([flat, h, c, last, g]), name="stateful_return_state")


def _stateful_initial_state(K, api):
    L = K.layers
    x = K.Input(batch_shape=(3, 5, 2), name="x")
    _, h, c = L.LSTM(4, return_state=True, name="encoder")(x)
    seq = L.LSTM(4, stateful=True, return_sequences=True, name="decoder")(x, initial_state=[h, c])
    last = L.GRU(3, stateful=True, name="gru")(x, initial_state=L.Dense(3, name="h0")(h))
    return K.Model(x, L.Concatenate(name="joined")([L.Flatten(name="flatten")(seq), last]),
                   name="stateful_initial_state")


# ---------------------------------------------------------------- nested models, shared layers

def _nested_models(K, api):
    L = K.layers
    inner_seq = K.Sequential([K.Input(shape=(5, 3)), L.LSTM(4, return_sequences=True, name="lstm"),
                              L.Dense(3, name="dense")], name="inner_seq")
    fi = K.Input(shape=(5, 3), name="fi")
    inner_fn = K.Model(fi, [L.GRU(3, name="gru")(fi), L.SimpleRNN(2, name="rnn")(fi)], name="inner_fn")
    a = K.Input(shape=(5, 3), name="a")
    b = K.Input(shape=(5, 3), name="b")
    sa = inner_seq(a)                       # the nested Sequential called twice: shared weights
    sb = inner_seq(b)
    g, r = inner_fn(a)                      # a nested Functional with two outputs
    added = L.Add(name="add")([sa, sb])
    last = L.LSTM(2, name="lstm")(added)    # the same name as a layer inside inner_seq
    return K.Model([a, b], [L.Concatenate(name="cat")([last, g, r]), sb], name="nested_models")


def _nested_deep(K, api):
    L = K.layers
    deepest = K.Sequential([K.Input(shape=(6, 4)), L.GRU(3, return_sequences=True, name="gru")], name="deepest")
    mi = K.Input(shape=(6, 4), name="mi")
    middle = K.Model(mi, L.TimeDistributed(L.Dense(4, name="dense"), name="td")(deepest(mi)), name="middle")
    outer_seq = K.Sequential([K.Input(shape=(6, 4)), middle, L.LSTM(3, name="lstm")], name="outer_seq")
    x = K.Input(shape=(6, 4), name="x")
    return K.Model(x, L.Dense(2, name="dense")(outer_seq(x)), name="nested_deep")


def _nested_sequential_chain(K):
    L = K.layers
    block = K.Sequential([K.Input(shape=(6, 3)), L.LSTM(5, return_sequences=True, name="lstm"),
                          L.Dropout(0.1, name="dropout")], name="block")
    return [block, L.GRU(3, name="gru"), L.Dense(2, name="dense")]


def _nested_masked(K, api):
    L = K.layers
    body = K.Sequential([K.Input(shape=(7, 3)), L.LSTM(4, return_sequences=True, name="lstm"),
                         L.LSTM(3, return_sequences=True, name="lstm_seq")], name="body")
    x = K.Input(shape=(7, 3), name="x")
    seq = body(L.Masking(0.0, name="masking")(x))  # Keras warns the mask is lost, yet carries it on
    return K.Model(x, L.Dense(2, name="dense")(L.LSTM(3, name="lstm_after")(seq)), name="nested_masked")


def _nested_encoder_states(K, api):
    L = K.layers
    ei = K.Input(shape=(6, 3), name="ei")
    _, h, c = L.LSTM(4, return_state=True, name="lstm")(ei)
    encoder = K.Model(ei, [h, c], name="encoder")      # an encoder model returning its states, used as a layer
    enc_in = K.Input(shape=(6, 3), name="encoder_input")
    dec_in = K.Input(shape=(5, 2), name="decoder_input")
    h, c = encoder(enc_in)
    seq = L.LSTM(4, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    return K.Model([enc_in, dec_in], [L.TimeDistributed(L.Dense(2, name="dense"), name="td")(seq), c],
                   name="nested_encoder_states")


def _shared_layers(K, api):
    L = K.layers
    a = K.Input(shape=(6, 3), name="a")
    b = K.Input(shape=(6, 3), name="b")
    ta = K.Input(shape=(5,), dtype="int32", name="tokens_a")
    tb = K.Input(shape=(5,), dtype="int32", name="tokens_b")
    encoder = L.Bidirectional(L.LSTM(3, name="lstm"), name="shared_encoder")
    proj = L.Dense(4, activation="tanh", name="shared_proj")
    ea = proj(encoder(a))
    eb = proj(encoder(b))
    emb = L.Embedding(10, 4, mask_zero=True, name="shared_embedding")
    reader = L.GRU(3, name="shared_reader")
    ra = reader(emb(ta))
    rb = reader(emb(tb))
    diff = L.Subtract(name="diff")([ea, eb])
    return K.Model([a, b, ta, tb], [L.Dense(1, name="score")(diff), L.Multiply(name="prod")([ra, rb])],
                   name="shared_layers")


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
    GraphFamily("nested_models", _nested_models, several(normal(5, 3), normal(5, 3)),
                "A nested Sequential (LSTM(4, rs) -> Dense(3)) called on two inputs (shared weights) and a nested "
                "two-output Functional (GRU(3), SimpleRNN(2)); Add -> LSTM(2) named like a nested layer; "
                "Concatenate; outputs [cat, second call of the Sequential]",
                ["nested", "shared", "sequential_in_functional", "functional_in_functional", "multi_output"]),
    GraphFamily("nested_deep", _nested_deep, normal(6, 4),
                "Depth 3: Functional > Sequential > Functional (TimeDistributed(Dense)) > Sequential (GRU(3, rs)); "
                "LSTM(3) -> Dense(2)",
                ["nested", "deep", "gru", "lstm", "time_distributed"]),
    GraphFamily("nested_sequential_chain", chain(_nested_sequential_chain, (6, 3), name="nested_sequential_chain"),
                normal(6, 3),
                "A Sequential block (LSTM(5, rs) -> Dropout) as the first layer of a Sequential or Functional "
                "model -> GRU(3) -> Dense(2)",
                ["nested", "sequential_in_sequential", "lstm", "gru"], apis=("sequential", "functional")),
    GraphFamily("nested_masked", _nested_masked, padded(7, 3),
                "Masking -> nested Sequential (LSTM(4, rs) -> LSTM(3, rs)) -> LSTM(3) -> Dense(2): the mask crosses "
                "into the nested model and out of it (Keras warns it is lost, yet both versions carry it on); "
                "padded rows",
                ["nested", "masking", "lstm"], batch=6),
    GraphFamily("shared_layers", _shared_layers,
                several(normal(6, 3), normal(6, 3), padded_tokens(5, 10), padded_tokens(5, 10)),
                "A shared Bidirectional(LSTM(3)) encoder and shared Dense(4, tanh) on inputs a and b -> Subtract -> "
                "Dense(1); a shared Embedding(10, 4, mask_zero) and shared GRU(3) on two padded token inputs -> "
                "Multiply; four inputs, two outputs",
                ["shared", "bidirectional", "embedding", "mask_zero", "gru", "subtract", "multiply",
                 "multi_input"], batch=6),
    GraphFamily("stateful_return_state", _stateful_return_state, normal(5, 2),
                "Stateful (batch 3): LSTM(4, rs, return_state) -> (seq, h, c); GRU(3, return_state) on seq -> (last, "
                "g); TimeDistributed(Dense(2)) -> Flatten; one output Concatenate([flat, h, c, last, g]); 4 calls "
                "carrying state, reset before call 2",
                ["stateful", "return_state", "lstm", "gru", "concatenate"], batch=3,
                extra={"calls": 4, "resets": (2,), "train_batch": 3, "train_n": 30}),
    GraphFamily("stateful_initial_state", _stateful_initial_state, normal(5, 2),
                "Stateful (batch 3) LSTM(4, rs) decoder with initial_state=[h, c] of a non-stateful LSTM(4, "
                "return_state) encoder, stateful GRU(3) with initial_state=Dense(3)(h); Concatenate([Flatten(seq), "
                "gru]); 4 calls, reset before call 2. Keras 3 starts every call from the given states; tf.keras 2 "
                "keeps its carried states once they are non-zero",
                ["stateful", "initial_state", "lstm", "gru", "concatenate"], batch=3,
                extra={"calls": 4, "resets": (2,), "train_batch": 3, "train_n": 30}),
    GraphFamily("nested_encoder_states", _nested_encoder_states, several(normal(6, 3), normal(5, 2)),
                "A nested Functional encoder (LSTM(4, return_state)) returning [h, c]; the outer decoder LSTM(4, rs) "
                "starts from them (initial_state) -> TimeDistributed(Dense(2)); outputs [decoder seq, c]",
                ["nested", "initial_state", "return_state", "encoder_decoder", "lstm", "multi_input"]),
    GraphFamily("encoder_decoder_lstm", _encoder_decoder_lstm, several(normal(6, 3), normal(5, 2)),
                "Encoder LSTM(4, return_state) -> (out, h, c); decoder LSTM(4, rs, return_state) on its own input "
                "with initial_state=[h, c] -> TimeDistributed(Dense(2)); outputs [decoder seq, encoder h, decoder c, "
                "encoder out]",
                ["return_state", "initial_state", "encoder_decoder", "lstm", "multi_input", "multi_output"]),
    GraphFamily("encoder_decoder_gru_simple_rnn", _encoder_decoder_gru_simple_rnn, several(normal(6, 3), normal(4, 3)),
                "GRU(3, rs, return_state) and SimpleRNN(3, return_state, go_backwards) encoders; SimpleRNN(3, "
                "return_state) decoder from the GRU's h, GRU(3) decoder from the backward SimpleRNN's h",
                ["return_state", "initial_state", "encoder_decoder", "gru", "simple_rnn", "go_backwards"]),
    GraphFamily("initial_state_from_inputs", _initial_state_from_inputs, several(normal(5, 2), normal(4), normal(4)),
                "Model inputs x [5, 2], h0 [4], c0 [4]: LSTM(4, rs, initial_state=[h0, c0]) -> TimeDistributed(Dense(2)); "
                "GRU(4, initial_state=h0)",
                ["initial_state", "model_input_state", "lstm", "gru", "multi_input"]),
    GraphFamily("bidirectional_states", _bidirectional_states, several(normal(6, 3), normal(4, 2)),
                "Bidirectional(LSTM(3, return_state)) -> [out, fh, fc, bh, bc]; Bidirectional(GRU(3, rs), sum) on y "
                "with initial_state=[fh, bh]; Bidirectional(SimpleRNN(2, return_state), merge_mode=None) -> "
                "[f, b, sf, sb]; six outputs",
                ["bidirectional", "return_state", "initial_state", "lstm", "gru", "simple_rnn", "merge_none"]),
    GraphFamily("masked_encoder_decoder", _masked_encoder_decoder, several(padded(7, 3), padded(7, 3)),
                "Masking -> LSTM(4, return_state) encoder; Masking -> LSTM(4, rs) decoder with initial_state=[h, c] "
                "-> TimeDistributed(Dense(2)); padded rows in both inputs",
                ["masking", "return_state", "initial_state", "encoder_decoder", "lstm"], batch=6),
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
