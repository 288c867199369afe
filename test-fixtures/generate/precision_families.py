"""The `precision` set: models whose kernels jkeras can round to bfloat16 (`Model.withBfloat16Kernels()`). Each
family gives its float32 case (keras_zip) and a `__bf16` case whose outputs are Keras's own with every kernel of the
same model rounded by `keras.ops.cast(kernel, "bfloat16")` (graph_all.bfloat16_case). Batch 1 reaches jkeras's
16-bit batch-1 kernels (LSTM, GRU both reset_after forms, SimpleRNN, Bidirectional, Dense); batch 3 the batch
products over the rounded float32 values. Units off the vector widths (24, 33, 36, 40) so partial panels count."""
from graph_families import GraphFamily, chain, normal

ZIP = ("keras_zip",)
BF16 = {"bfloat16_kernels": True}


def _lstm_stack(K):
    L = K.layers
    return [L.LSTM(40, return_sequences=True, name="lstm_1"), L.LSTM(24, name="lstm_2"), L.Dense(3, name="dense")]


def _gru_stack(K):
    L = K.layers
    return [L.GRU(36, return_sequences=True, reset_after=True, name="gru_after"),
            L.GRU(20, reset_after=False, name="gru_before"), L.Dense(2, name="dense")]


def _bidirectional_simple(K):
    L = K.layers
    return [L.Bidirectional(L.SimpleRNN(33, return_sequences=True, name="simple"), name="bi"),
            L.TimeDistributed(L.Dense(4, name="dense"), name="td")]


def _conv_lstm_batch(K):
    L = K.layers
    return [L.Conv1D(8, 3, activation="relu", name="conv"), L.LSTM(40, name="lstm"), L.Dense(3, name="dense")]


FAMILIES = [
    GraphFamily("bf16_lstm_stack", chain(_lstm_stack, (12, 10), name="bf16_lstm_stack"), normal(12, 10),
                "LSTM(40, return_sequences) -> LSTM(24) -> Dense(3), batch 1", ["precision", "lstm"],
                batch=1, formats=ZIP, extra=BF16),
    GraphFamily("bf16_gru_stack", chain(_gru_stack, (12, 10), name="bf16_gru_stack"), normal(12, 10),
                "GRU(36, reset_after=True, return_sequences) -> GRU(20, reset_after=False) -> Dense(2), batch 1",
                ["precision", "gru"], batch=1, formats=ZIP, extra=BF16),
    GraphFamily("bf16_bidirectional_simple", chain(_bidirectional_simple, (12, 10), name="bf16_bi_simple"),
                normal(12, 10), "Bidirectional(SimpleRNN(33, return_sequences)) -> TimeDistributed(Dense(4)), batch 1",
                ["precision", "simple_rnn", "bidirectional"], batch=1, formats=ZIP, extra=BF16),
    GraphFamily("bf16_conv_lstm_batch", chain(_conv_lstm_batch, (12, 10), name="bf16_conv_lstm"), normal(12, 10),
                "Conv1D(8, 3) -> LSTM(40) -> Dense(3), batch 3 (the batch products)", ["precision", "lstm", "conv1d"],
                batch=3, formats=ZIP, extra=BF16),
]
