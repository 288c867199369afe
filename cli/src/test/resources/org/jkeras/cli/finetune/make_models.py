"""Writes the compiled Keras models FinetuneCommandTest fine-tunes (run: python make_models.py in this
directory, with the fixture venv: ../../../../../../../../test-fixtures/.venv/bin/python).

Produced with Keras 3.15.1 on TensorFlow 2.21 (CPU); the files are committed, so the tests need no Python.

  compiled_lstm.keras       LSTM(4) -> Dense(1) on [6, 3], compiled Adam(0.005) / mse / metrics mae, trained
                            5 train_on_batch steps, so it carries Adam's state (iteration 5)
  compiled_lstm_x.npy, compiled_lstm_y.npy   24 samples for it
  classifier.keras          GRU(4, trainable=False) -> Dense(3, softmax), compiled RMSprop(0.01) /
                            sparse_categorical_crossentropy / metrics accuracy, never trained (its saved optimizer
                            state is only iteration 0 and the learning rate)
  classifier_x.npy, classifier_y.npy         20 samples, integer labels 0..2 (int32)
  constrained.keras         LSTM(3) -> Dense(1, kernel_constraint=MaxNorm(2)), compiled SGD / mse: jkeras refuses to
                            train it (Keras projects the weight after every update)
"""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402

L = keras.layers
keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)

x = rng.standard_normal((24, 6, 3)).astype("float32")
y = (x[:, -1, :1] * 0.5 + x[:, 0, 1:2] * 0.25).astype("float32")
m = keras.Sequential([L.Input((6, 3)), L.LSTM(4), L.Dense(1)], name="compiled_lstm")
m.compile(optimizer=keras.optimizers.Adam(0.005), loss="mse", metrics=["mae"])
for i in range(5):
    m.train_on_batch(x[4 * i:4 * i + 4], y[4 * i:4 * i + 4])
m.save("compiled_lstm.keras")
np.save("compiled_lstm_x.npy", x)
np.save("compiled_lstm_y.npy", y)

xc = rng.standard_normal((20, 5, 2)).astype("float32")
yc = (np.arange(20) % 3).astype("int32")
c = keras.Sequential([L.Input((5, 2)), L.GRU(4, trainable=False), L.Dense(3, activation="softmax")],
                     name="classifier")
c.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
c.save("classifier.keras")
np.save("classifier_x.npy", xc)
np.save("classifier_y.npy", yc)

k = keras.Sequential([L.Input((6, 3)), L.LSTM(3), L.Dense(1, kernel_constraint=keras.constraints.MaxNorm(2))],
                     name="constrained")
k.compile(optimizer="sgd", loss="mse")
k.save("constrained.keras")
