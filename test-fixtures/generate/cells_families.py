"""The `cells` set: the generic RNN layer over LSTMCell, GRUCell, SimpleRNNCell and StackedRNNCells, and stateful
Bidirectional layers (both directions carrying their states between calls). Tiny models (units 2-5) to keep the
set under 1 MB; every option in keras_zip and a tf.keras 2 format, all five formats for one family per class."""
from graph_families import GraphFamily, chain, normal, padded

ZIP_TF = ("keras_zip", "tf_keras2_h5")


def flat(x):
    """An RNN over StackedRNNCells returns its states nested per cell ([h, c] for an LSTM cell): flattened."""
    if isinstance(x, (list, tuple)):
        return [t for e in x for t in flat(e)]
    return [x]
ZIP_TFJSON = ("keras_zip", "tf_keras2_json_h5weights")


def _rnn_lstm_cell(K):
    L = K.layers
    return [L.RNN(L.LSTMCell(4, name="lstm_cell"), return_sequences=True, name="rnn_lstm"),
            L.RNN(L.LSTMCell(3, name="lstm_cell_back"), go_backwards=True, name="rnn_lstm_back")]


def _rnn_gru_simple_cells(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="x")
    seq, h = L.RNN(L.GRUCell(3, reset_after=True, name="gru_cell"), return_sequences=True, return_state=True,
                   name="rnn_gru")(x)
    back = L.RNN(L.GRUCell(3, reset_after=False, name="gru_cell_v1"), return_sequences=True, go_backwards=True,
                 name="rnn_gru_v1")(seq)
    out, hs = L.RNN(L.SimpleRNNCell(4, name="simple_cell"), go_backwards=True, return_state=True,
                    name="rnn_simple")(x)
    relu = L.RNN(L.SimpleRNNCell(2, activation="relu", name="simple_relu"), name="rnn_simple_relu")(back)
    return K.Model(x, [L.Flatten(name="flatten")(back), L.Concatenate(name="joined")([h, out, hs, relu])],
                   name="rnn_gru_simple_cells")


def _rnn_cells_masked(K, api):
    L = K.layers
    x = K.Input(shape=(7, 3), name="x")
    m = L.Masking(0.0, name="masking")(x)
    seq = L.RNN(L.LSTMCell(3, name="c1"), return_sequences=True, name="rnn_seq")(m)
    zero = L.RNN(L.GRUCell(3, name="c2"), return_sequences=True, zero_output_for_mask=True, name="rnn_zero")(m)
    back = L.RNN(L.SimpleRNNCell(2, name="c3"), go_backwards=True, name="rnn_back")(seq)
    # merge layers refuse masked inputs in jkeras: each sequence is flattened (Flatten drops the mask) on its own
    return K.Model(x, [L.Flatten(name="flatten")(seq), L.Flatten(name="flatten_zero")(zero), back],
                   name="rnn_cells_masked")


def _stacked_cells(K, api):
    L = K.layers
    cells = [L.LSTMCell(4, name="s_lstm"), L.GRUCell(3, name="s_gru"), L.SimpleRNNCell(2, name="s_rnn")]
    x = K.Input(shape=(6, 3), name="x")
    seq = L.RNN(L.StackedRNNCells(cells, name="stack"), return_sequences=True, name="rnn_stack")(x)
    return K.Model(x, L.Dense(2, name="dense")(seq), name="stacked_cells")


def _stacked_cells_states(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="x")
    cells = [L.GRUCell(3, reset_after=False, name="a_gru"), L.LSTMCell(2, name="a_lstm")]
    out = L.RNN(L.StackedRNNCells(cells, name="stack_a"), return_state=True, name="rnn_states")(x)
    back_cells = [L.SimpleRNNCell(3, name="b_rnn"), L.LSTMCell(3, name="b_lstm")]
    back = L.RNN(L.StackedRNNCells(back_cells, name="stack_b"), return_sequences=True, go_backwards=True,
                 name="rnn_back")(x)
    return K.Model(x, [L.Concatenate(name="joined")(flat(out)), back], name="stacked_cells_states")


def _stacked_cells_masked(K, api):
    L = K.layers
    x = K.Input(shape=(7, 3), name="x")
    m = L.Masking(0.0, name="masking")(x)
    cells = [L.LSTMCell(3, name="m_lstm"), L.GRUCell(4, name="m_gru")]
    seq = L.RNN(L.StackedRNNCells(cells, name="stack_m"), return_sequences=True, zero_output_for_mask=True,
                name="rnn_masked")(m)
    back_cells = [L.GRUCell(2, name="mb_gru"), L.SimpleRNNCell(3, name="mb_rnn")]
    back_states = flat(L.RNN(L.StackedRNNCells(back_cells, name="stack_mb"), go_backwards=True,
                             return_state=True, name="rnn_masked_back")(m))
    return K.Model(x, [L.Flatten(name="flatten")(seq), L.Concatenate(name="joined")(back_states)],
                   name="stacked_cells_masked")


def _rnn_cell_wrapped(K, api):
    L = K.layers
    x = K.Input(shape=(3, 4, 2), name="x")
    per_frame = L.TimeDistributed(L.RNN(L.SimpleRNNCell(3, name="td_cell"), name="rnn_in_td"), name="td_rnn")(x)
    bi = L.Bidirectional(L.RNN(L.LSTMCell(3, name="bi_cell"), return_sequences=True, name="rnn_in_bi"),
                         name="bi_rnn")(per_frame)
    bi2 = L.Bidirectional(L.RNN(L.GRUCell(2, name="bi_gru_cell"), name="rnn_gru_in_bi"), merge_mode="sum",
                          name="bi_rnn_gru")(bi)
    return K.Model(x, bi2, name="rnn_cell_wrapped")


def _rnn_cell_stateful(K, api):
    L = K.layers
    x = K.Input(batch_shape=(3, 5, 2), name="x")
    seq = L.RNN(L.LSTMCell(3, name="st_lstm"), stateful=True, return_sequences=True, name="rnn_stateful")(x)
    last = L.RNN(L.StackedRNNCells([L.GRUCell(3, name="st_gru"), L.SimpleRNNCell(3, name="st_rnn")],
                                   name="st_stack"), stateful=True, name="rnn_stack_stateful")(seq)
    return K.Model(x, L.Concatenate(name="joined")([L.Flatten(name="flatten")(seq), last]),
                   name="rnn_cell_stateful")


def _stateful_bi_lstm(K):
    L = K.layers
    return [L.Bidirectional(L.LSTM(3, stateful=True, return_sequences=True, name="lstm"), name="bi_lstm"),
            L.Bidirectional(L.LSTM(2, stateful=True, name="lstm_ave"), merge_mode="ave", name="bi_lstm_ave"),
            L.Dense(2, name="dense")]


def _stateful_bi_gru(K, api):
    L = K.layers
    x = K.Input(batch_shape=(3, 5, 2), name="x")
    seq = L.Bidirectional(L.GRU(3, stateful=True, return_sequences=True, name="gru"), merge_mode="mul",
                          name="bi_gru")(x)
    f, b = L.Bidirectional(L.GRU(2, stateful=True, reset_after=False, name="gru_v1"), merge_mode=None,
                           name="bi_gru_none")(x)
    last = L.Bidirectional(L.SimpleRNN(2, stateful=True, name="rnn"), merge_mode="sum", name="bi_rnn")(seq)
    return K.Model(x, L.Concatenate(name="joined")([L.Flatten(name="flatten")(seq), f, b, last]),
                   name="stateful_bi_gru")


def _stateful_bi_lstm_build(K, api):
    inp = K.Input(batch_shape=(3, 5, 2), name="x")
    if api == "sequential":
        return K.Sequential([inp] + _stateful_bi_lstm(K), name="stateful_bi_lstm_seq")
    x = inp
    for layer in _stateful_bi_lstm(K):
        x = layer(x)
    return K.Model(inp, x, name="stateful_bi_lstm_fn")


STATEFUL = {"calls": 4, "resets": (2,), "train_batch": 3, "train_n": 30}

FAMILIES = [
    GraphFamily("rnn_lstm_cell", chain(_rnn_lstm_cell, (5, 3), name="rnn_lstm_cell"), normal(5, 3),
                "RNN(LSTMCell(4), rs) -> RNN(LSTMCell(3), go_backwards)",
                ["rnn_cell", "lstm_cell", "go_backwards"], apis=("sequential",)),
    GraphFamily("rnn_gru_simple_cells", _rnn_gru_simple_cells, normal(6, 3),
                "RNN(GRUCell(3, reset_after), rs, return_state) -> (seq, h); RNN(GRUCell(3, reset_after=False), rs, "
                "go_backwards) on seq -> RNN(SimpleRNNCell(2, relu)); RNN(SimpleRNNCell(4), go_backwards, "
                "return_state) -> (out, hs); outputs [Flatten(back), Concatenate([h, out, hs, relu])]",
                ["rnn_cell", "gru_cell", "simple_rnn_cell", "reset_after", "return_state", "go_backwards"],
                formats=ZIP_TF),
    GraphFamily("rnn_cells_masked", _rnn_cells_masked, padded(7, 3),
                "Masking -> RNN(LSTMCell(3), rs), RNN(GRUCell(3), rs, zero_output_for_mask), each flattened; "
                "RNN(SimpleRNNCell(2), go_backwards) on the LSTM's sequence; padded rows",
                ["rnn_cell", "masking", "zero_output_for_mask", "go_backwards"], batch=6, formats=ZIP_TF),
    GraphFamily("stacked_cells", _stacked_cells, normal(6, 3),
                "RNN(StackedRNNCells([LSTMCell(4), GRUCell(3), SimpleRNNCell(2)]), rs) -> Dense(2)",
                ["stacked_rnn_cells", "lstm_cell", "gru_cell", "simple_rnn_cell"],
                formats=ZIP_TFJSON),
    GraphFamily("stacked_cells_states", _stacked_cells_states, normal(6, 3),
                "RNN(StackedRNNCells([GRUCell(3, reset_after=False), LSTMCell(2)]), return_state) -> "
                "Concatenate([out, h_gru, h_lstm, c_lstm]); RNN(StackedRNNCells([SimpleRNNCell(3), LSTMCell(3)]), "
                "rs, go_backwards)",
                ["stacked_rnn_cells", "return_state", "go_backwards"], formats=ZIP_TFJSON),
    GraphFamily("stacked_cells_masked", _stacked_cells_masked, padded(7, 3),
                "Masking -> RNN(StackedRNNCells([LSTMCell(3), GRUCell(4)]), rs, zero_output_for_mask); "
                "RNN(StackedRNNCells([GRUCell(2), SimpleRNNCell(3)]), go_backwards, return_state); padded rows of "
                "different lengths",
                ["stacked_rnn_cells", "masking", "go_backwards", "return_state", "zero_output_for_mask"], batch=6,
                formats=ZIP_TF),
    GraphFamily("rnn_cell_wrapped", _rnn_cell_wrapped, normal(3, 4, 2),
                "TimeDistributed(RNN(SimpleRNNCell(3))) over 3 frames of 4 steps -> Bidirectional(RNN(LSTMCell(3), "
                "rs)) -> Bidirectional(RNN(GRUCell(2)), sum)",
                ["rnn_cell", "bidirectional", "time_distributed"], formats=ZIP_TF),
    GraphFamily("rnn_cell_stateful", _rnn_cell_stateful, normal(5, 2),
                "Stateful (batch 3) RNN(LSTMCell(3), rs) -> stateful RNN(StackedRNNCells([GRUCell(3), "
                "SimpleRNNCell(3)])); Concatenate([Flatten(seq), last]); 4 calls, reset before call 2",
                ["stateful", "rnn_cell", "stacked_rnn_cells"], batch=3, extra=dict(STATEFUL), formats=ZIP_TF),
    GraphFamily("stateful_bi_lstm", _stateful_bi_lstm_build, normal(5, 2),
                "Stateful (batch 3) Bidirectional(LSTM(3, rs)) concat -> Bidirectional(LSTM(2), ave) -> Dense(2); "
                "4 calls, reset before call 2",
                ["stateful", "bidirectional", "lstm"], apis=("sequential",), batch=3,
                extra=dict(STATEFUL), formats=ZIP_TF),
    GraphFamily("stateful_bi_gru", _stateful_bi_gru, normal(5, 2),
                "Stateful (batch 3) Bidirectional(GRU(3, rs), mul); Bidirectional(GRU(2, reset_after=False), None) "
                "-> (f, b); Bidirectional(SimpleRNN(2), sum) on the GRU sequence; Concatenate; 4 calls, reset "
                "before call 2",
                ["stateful", "bidirectional", "gru", "simple_rnn"], batch=3, extra=dict(STATEFUL), formats=ZIP_TF),
]
