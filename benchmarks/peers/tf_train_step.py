#!/usr/bin/env python3
"""The TensorFlow/Keras peer of TrainingBenchmark: one Keras 3 ``model.train_on_batch`` (forward, MSE,
backward, Adam update) on the same shapes, timed step by step after warm-up; also the training forward
pass and the gradients alone (tf.function), so the phase split compares too.

TensorFlow fixes its thread pools at start-up, so one process measures one thread count:

    KERAS_BACKEND=tensorflow CUDA_VISIBLE_DEVICES=-1 \
      /work/main/test-fixtures/.venv/bin/python benchmarks/peers/tf_train_step.py --threads 1 --jit off,on

Prints one JSON object per (scenario, jit, phase) line to stdout (times in microseconds per step):
{"peer": "tf", "scenario": "S3_lstm", "threads": 1, "jit": false, "phase": "trainStep", "median_us": ...}
"""
import argparse
import json
import os
import statistics
import sys
import time

SCENARIOS = {
    # name: (batch, steps, features, layers)
    "S2_b32": (32, 50, 8, "lstm64x2"),
    "S2_b1": (1, 50, 8, "lstm64x2"),
    "S3_lstm": (64, 100, 64, "lstm256"),
    "S3_gru": (64, 100, 64, "gru256"),
}


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated, of " + ", ".join(SCENARIOS))
    p.add_argument("--threads", type=int, default=1, help="intra-op threads (inter-op is 1)")
    p.add_argument("--jit", default="off", help="off, on or off,on: Keras compile(jit_compile=...)")
    p.add_argument("--phases", default="trainStep,forward,gradients")
    p.add_argument("--seconds", type=float, default=5.0, help="measurement time per (scenario, jit, phase)")
    p.add_argument("--warmup-seconds", type=float, default=2.0)
    p.add_argument("--min-steps", type=int, default=10)
    return p.parse_args()


def main():
    args = parse()
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras

    def build(name):
        batch, steps, feats, kind = SCENARIOS[name]
        keras.utils.set_random_seed(42)
        layers = [keras.Input((steps, feats), batch_size=batch)]
        if kind == "lstm64x2":
            layers += [keras.layers.LSTM(64, return_sequences=True), keras.layers.LSTM(64)]
        elif kind == "lstm256":
            layers += [keras.layers.LSTM(256)]
        else:
            layers += [keras.layers.GRU(256)]  # Keras 3 default reset_after=True, as the Java side
        layers += [keras.layers.Dense(1)]
        model = keras.Sequential(layers)
        rng = np.random.default_rng(42)
        x = rng.uniform(-1, 1, (batch, steps, feats)).astype("float32")
        y = rng.uniform(-1, 1, (batch, 1)).astype("float32")
        return model, x, y

    def timed(fn, seconds, warmup):
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < warmup:
            fn()
        times = []
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds or len(times) < args.min_steps:
            s = time.perf_counter()
            fn()
            times.append((time.perf_counter() - s) * 1e6)
        return times

    for name in args.scenarios.split(","):
        for jit in [j.strip() == "on" for j in args.jit.split(",")]:
            model, x, y = build(name)
            model.compile(optimizer=keras.optimizers.Adam(), loss="mse", jit_compile=jit)
            xt, yt = tf.constant(x), tf.constant(y)
            mse = keras.losses.MeanSquaredError()

            @tf.function(jit_compile=jit)
            def fwd():
                return mse(yt, model(xt, training=True))

            @tf.function(jit_compile=jit)
            def grads():
                with tf.GradientTape() as tape:
                    loss = mse(yt, model(xt, training=True))
                return loss, tape.gradient(loss, model.trainable_variables)

            fns = {
                "trainStep": lambda: model.train_on_batch(x, y),  # returns a Python float: synchronous
                "forward": lambda: fwd().numpy(),
                "gradients": lambda: [g.numpy() for g in grads()[1]],
            }
            for phase in args.phases.split(","):
                times = timed(fns[phase], args.seconds, args.warmup_seconds)
                q = statistics.quantiles(times, n=10)
                print(json.dumps({"peer": "tf", "scenario": name, "threads": args.threads, "jit": jit,
                                  "phase": phase, "median_us": statistics.median(times), "p10_us": q[0],
                                  "p90_us": q[-1], "steps": len(times), "tf": tf.__version__,
                                  "keras": keras.__version__}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
