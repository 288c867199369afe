"""The classic first LSTM forecaster: international airline passengers 1949-1960.

144 monthly values, min-max scaled to [0, 1] over the whole series, windows of LOOK_BACK
values -> LSTM(4) -> Dense(1), Adam/MSE, 100 epochs, batch 1, 67% train / 33% test split.
"""
import numpy as np
import keras
import pmdarima

from families import Family

LOOK_BACK = 12
EPOCHS = 100
STATEFUL_BATCH = 3      # three parallel streams of the series
STATEFUL_CALLS = 4      # 4 consecutive windows of LOOK_BACK months per stream
STATEFUL_RESETS = [2]   # for the *_reset family: reset_states() before call index 2


def load_series():
    s = np.asarray(pmdarima.datasets.load_airpassengers(), dtype=np.float64)
    assert s.shape == (144,), s.shape
    return s


def scaled():
    s = load_series()
    lo, hi = float(s.min()), float(s.max())
    return s, ((s - lo) / (hi - lo)).astype(np.float32), lo, hi


def windows(sc):
    """Every window of the whole scaled series: X [N, LOOK_BACK, 1], y [N, 1], N = 144 - LOOK_BACK."""
    n = len(sc) - LOOK_BACK
    X = np.stack([sc[i:i + LOOK_BACK] for i in range(n)])[..., None].astype(np.float32)
    y = sc[LOOK_BACK:LOOK_BACK + n][:, None].astype(np.float32)
    return X, y


def train_size():
    return int(144 * 0.67)   # 96, as in the classic tutorial


def lstm4_layers(K):
    return [K.layers.LSTM(4, name="lstm"), K.layers.Dense(1, name="dense")]


def lstm4_stateful_layers(K):
    return [K.layers.LSTM(4, stateful=True, name="lstm"), K.layers.Dense(1, name="dense")]


AIRLINE = Family(
    name="airline_lstm", T=LOOK_BACK, F=1, batch=6, layers=lstm4_layers,
    description="Airline passengers forecaster (demo model): 12 scaled monthly values -> LSTM(4) -> Dense(1); "
                "trained 100 epochs, batch 1, Adam, on the first 67% of the series; inputs are 6 windows of the "
                "scaled series (train and test); features 1, T 12, batch 6",
    tags=["lstm", "dense", "linear", "airline", "forecaster", "demo"],
    train=False)


def stateful_family(name, with_resets):
    desc = ("Stateful airline forecaster (weights of airline_lstm): Input(batch_shape=(3, 12, 1)) -> "
            "LSTM(4, stateful=True) -> Dense(1). stateful_calls: 4 consecutive 12-month windows of 3 "
            "parallel 48-month streams of the scaled series, states carried between calls")
    if with_resets:
        desc += "; reset_states() before call index 2"
    desc += ". inputs/outputs: the first call from fresh state"
    return Family(name=name, T=LOOK_BACK, F=1, batch=STATEFUL_BATCH, layers=lstm4_stateful_layers,
                  description=desc,
                  tags=["lstm", "dense", "linear", "airline", "stateful"] + (["reset_states"] if with_resets else []),
                  train=False, stateful_batch=STATEFUL_BATCH,
                  extra={"resets": STATEFUL_RESETS if with_resets else None})


AIRLINE_STATEFUL = stateful_family("airline_lstm_stateful", False)
AIRLINE_STATEFUL_RESET = stateful_family("airline_lstm_stateful_reset", True)


def train_airline(model):
    """Train the (Keras 3) airline model in place; returns (X_all, y_all) windows."""
    _, sc, _, _ = scaled()
    X, y = windows(sc)
    n_train = train_size() - LOOK_BACK    # windows whose target lies in the training part
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mean_squared_error")
    model.fit(X[:n_train], y[:n_train], epochs=EPOCHS, batch_size=1, shuffle=False, verbose=0)
    return X, y


def case_inputs():
    _, sc, _, _ = scaled()
    X, _ = windows(sc)
    idx = [0, 30, 83, 84, 110, len(X) - 1]
    return X[idx]


def stateful_inputs():
    """[N=STATEFUL_CALLS, batch=STATEFUL_BATCH, LOOK_BACK, 1]: stream b, call n =
    months b*48 + n*12 ... b*48 + n*12 + 11 of the scaled series."""
    _, sc, _, _ = scaled()
    xs = np.zeros((STATEFUL_CALLS, STATEFUL_BATCH, LOOK_BACK, 1), np.float32)
    for n in range(STATEFUL_CALLS):
        for b in range(STATEFUL_BATCH):
            st = b * 48 + n * LOOK_BACK
            xs[n, b, :, 0] = sc[st:st + LOOK_BACK]
    return xs


def demo_meta():
    s, _, lo, hi = scaled()
    return {
        "look_back": LOOK_BACK,
        "scale_min": lo,
        "scale_max": hi,
        "first_target_month": "%04d-%02d" % (1949 + LOOK_BACK // 12, LOOK_BACK % 12 + 1),  # series starts 1949-01
        "train_size": train_size(),
        "series": [float(v) for v in s],
        "keras_version": keras.__version__,
    }
