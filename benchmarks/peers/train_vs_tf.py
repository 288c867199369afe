#!/usr/bin/env python3
"""jkeras TrainingBenchmark vs TensorFlow/Keras train_on_batch, side by side, and the ratio table.

Runs, round after round and scenario by scenario, the JMH benchmark (one fork per scenario and thread count) and
right after it tf_train_step.py (one process per thread count: TF fixes its pools at start-up) on the same shape,
so load drift on a shared machine hits both sides of a ratio alike. Prints per phase:

    scenario | threads | jkeras µs | TF jit off µs | TF jit on µs | jkeras/TF (TF's better jit), median [min-max]

A ratio below 1 means jkeras is faster. Numbers are medians over the rounds; the bracket is the spread of the
per-round ratios. The load average (uptime) is printed at every round. Stdlib only; run it with the venv's
Python so the TF script finds TensorFlow:

    /work/main/test-fixtures/.venv/bin/python benchmarks/peers/train_vs_tf.py --rounds 3

or through benchmarks/peers/train-vs-tf.sh, which builds the jar first.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", default=os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar"))
    p.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"),
                                                  "bin", "java"))
    p.add_argument("--python", default=sys.executable, help="the Python with TensorFlow for tf_train_step.py")
    p.add_argument("--scenarios", default="S2_b32,S2_b1,S3_lstm,S3_gru")
    p.add_argument("--threads", default="1,2", help="thread counts, both sides")
    p.add_argument("--jit", default="off,on", help="TF jit_compile settings to time")
    p.add_argument("--phases", default="trainStep", help="trainStep,forward,gradients")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--jmh", default="-wi 5 -i 5 -w 2s -r 2s",
                   help="JMH warm-up/measurement options (the Vector API code needs ~5 s to reach C2)")
    p.add_argument("--tf-seconds", type=float, default=5.0, help="TF measurement time per (jit, phase)")
    p.add_argument("--tf-warmup", type=float, default=2.0)
    p.add_argument("--json", help="also write every raw measurement here")
    return p.parse_args()


def load():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def jmh(args, scenario, phases):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    pattern = "TrainingBenchmark\\.(" + "|".join(phases) + ")$"
    cmd = [args.java, "-jar", args.jar, pattern, "-p", "scenario=" + scenario, "-p", "threads=" + args.threads,
           "-f", "1", "-rf", "json", "-rff", out] + args.jmh.split()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        results = json.load(f)
    os.unlink(out)
    return {(r["benchmark"].rsplit(".", 1)[1], int(r["params"]["threads"])): r["primaryMetric"]["score"]
            for r in results}


def tf(args, scenario, threads, phases):
    cmd = [args.python, os.path.join(HERE, "tf_train_step.py"), "--scenarios", scenario, "--threads", str(threads),
           "--jit", args.jit, "--phases", ",".join(phases), "--seconds", str(args.tf_seconds),
           "--warmup-seconds", str(args.tf_warmup)]
    env = dict(os.environ, KERAS_BACKEND="tensorflow", CUDA_VISIBLE_DEVICES="-1", TF_CPP_MIN_LOG_LEVEL="2")
    p = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    rows = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    return {(r["phase"], r["jit"]): r["median_us"] for r in rows}


def main():
    args = parse()
    scenarios = args.scenarios.split(",")
    threads = [int(t) for t in args.threads.split(",")]
    phases = args.phases.split(",")
    jits = [j.strip() == "on" for j in args.jit.split(",")]
    jk = {}   # (scenario, threads, phase) -> [per-round µs]
    tfm = {}  # (scenario, threads, phase, jit) -> [per-round µs]
    raw = []
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}, load average {load()}", file=sys.stderr, flush=True)
        for s in scenarios:
            for (phase, t), us in jmh(args, s, phases).items():
                jk.setdefault((s, t, phase), []).append(us)
                raw.append({"round": r, "peer": "jkeras", "scenario": s, "threads": t, "phase": phase, "us": us})
            for t in threads:
                for (phase, jit), us in tf(args, s, t, phases).items():
                    tfm.setdefault((s, t, phase, jit), []).append(us)
                    raw.append({"round": r, "peer": "tf", "scenario": s, "threads": t, "phase": phase, "jit": jit,
                                "us": us})
            print(f"  {s} done, load average {load()}", file=sys.stderr, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    med = statistics.median
    for phase in phases:
        print(f"\n### {phase} (µs per step, median of {args.rounds} rounds; ratio = jkeras time / TF time)\n")
        head = "| scenario | threads | jkeras | " + " | ".join(f"TF jit {'on' if j else 'off'}" for j in jits) \
               + " | jkeras / TF (better jit) |"
        print(head)
        print("| --- | ---: | ---: | " + " | ".join("---:" for _ in jits) + " | ---: |")
        for s in scenarios:
            for t in threads:
                j = jk.get((s, t, phase))
                if not j:
                    continue
                tfs = [tfm.get((s, t, phase, jit), []) for jit in jits]
                ratios = [j[i] / min(x[i] for x in tfs if len(x) > i) for i in range(len(j))
                          if any(len(x) > i for x in tfs)]
                cells = " | ".join(f"{med(x):,.0f}" if x else "-" for x in tfs)
                spread = f"{med(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]" if ratios else "-"
                print(f"| {s} | {t} | {med(j):,.0f} | {cells} | {spread} |")


if __name__ == "__main__":
    sys.exit(main())
