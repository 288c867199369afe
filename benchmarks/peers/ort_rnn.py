"""ONNX Runtime on the shapes of RecurrentBenchmark (and LstmBenchmark's S3/S4): median µs per session.run.

Builds each model as one ONNX GRU / RNN / LSTM node (opset 17) with Glorot-scaled random weights: GRU gate order
z, r, h with linear_before_reset=1 for Keras's reset_after=True (0 for reset_after=False), RNN with tanh, input
[steps, batch, 64] (ONNX's default layout, so no transpose is timed), output Y_h (the last step, as
return_sequences=False). Prints one JSON object per scenario and thread count: median and best wall µs per run,
and the calling thread's median CPU µs per run (the whole cost at 1 intra-op thread, where ORT computes on the
calling thread; steadier than wall time on a busy machine).

    python benchmarks/peers/ort_rnn.py --scenarios G3,G4 --threads 1,2 --seconds 5
"""
import argparse
import json
import os
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

IN, UNITS, STEPS = 64, 256, 100
SCENARIOS = {  # op, batch, linear_before_reset
    "G3": ("GRU", 64, 1), "G4": ("GRU", 1, 1), "G3b": ("GRU", 64, 0), "G4b": ("GRU", 1, 0),
    "R3": ("RNN", 64, None), "R4": ("RNN", 1, None), "S3": ("LSTM", 64, None), "S4": ("LSTM", 1, None),
}
GATES = {"GRU": 3, "RNN": 1, "LSTM": 4}


def model(op, batch, lbr, rng):
    g = GATES[op]
    glorot = lambda fan_in, fan_out: rng.uniform(-1, 1, (1, g * UNITS, fan_in)).astype(np.float32) * np.sqrt(
        6.0 / (fan_in + g * UNITS))
    w = helper.make_tensor("W", TensorProto.FLOAT, (1, g * UNITS, IN), glorot(IN, g * UNITS).ravel())
    r = helper.make_tensor("R", TensorProto.FLOAT, (1, g * UNITS, UNITS), glorot(UNITS, g * UNITS).ravel())
    b = helper.make_tensor("B", TensorProto.FLOAT, (1, 2 * g * UNITS),
                           rng.uniform(-0.1, 0.1, 2 * g * UNITS).astype(np.float32))
    attrs = {"hidden_size": UNITS}
    if op == "GRU":
        attrs["linear_before_reset"] = lbr
    node = helper.make_node(op, ["X", "W", "R", "B"], ["", "Y_h"], **attrs)
    graph = helper.make_graph([node], op.lower(), [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                                                                 (STEPS, batch, IN))],
                              [helper.make_tensor_value_info("Y_h", TensorProto.FLOAT, (1, batch, UNITS))],
                              initializer=[w, r, b])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(m)
    return m.SerializeToString()


def time_session(blob, batch, threads, seconds, rng):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    s = ort.InferenceSession(blob, opts, providers=["CPUExecutionProvider"])
    x = {"X": rng.uniform(-1, 1, (STEPS, batch, IN)).astype(np.float32)}
    end = time.perf_counter() + max(1.0, seconds / 3)  # warm-up
    while time.perf_counter() < end:
        s.run(None, x)
    times, cpu = [], []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        s.run(None, x)
        times.append((time.perf_counter_ns() - t0) / 1e3)
        cpu.append((time.thread_time_ns() - c0) / 1e3)
    times.sort()
    cpu.sort()
    return times[len(times) // 2], times[0], cpu[len(cpu) // 2], len(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scenarios", default="G3,G4,G3b,G4b,R3,R4")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--seconds", type=float, default=5)
    a = p.parse_args()
    rng = np.random.default_rng(42)
    for sc in a.scenarios.split(","):
        op, batch, lbr = SCENARIOS[sc]
        blob = model(op, batch, lbr, rng)
        for th in (int(t) for t in a.threads.split(",")):
            med, best, cpu, n = time_session(blob, batch, th, a.seconds, rng)
            # with 1 intra-op thread ORT computes on the calling thread, so its CPU time is the whole cost
            print(json.dumps({"engine": "onnxruntime " + ort.__version__, "scenario": sc, "threads": th,
                              "median_us": round(med, 1), "best_us": round(best, 1),
                              "calling_thread_cpu_median_us": round(cpu, 1), "runs": n,
                              "load": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    main()
