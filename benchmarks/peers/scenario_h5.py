"""Writes the LSTM scenarios S1-S4 as tf.keras 2 HDF5 files, the format DL4J's Keras import reads.

DL4J (1.0.0-M2.1) cannot read Keras 3 files, so its peer benchmark imports these; the jkeras side of that
benchmark loads the same file, and DL4J's output is checked against jkeras's before anything is timed. Weights are
tf.keras's own initialisers under a fixed seed (timings do not depend on the values). The recurrent kernels are
initialised glorot_uniform, not Keras's default orthogonal: DL4J builds every layer with the config's initialiser
before it loads the weights, and nd4j-native 1.0.0-M2.1's orthogonal sampler crashes the JVM (SIGSEGV in
NDArray::getOffset under OrthogonalDistribution.sample, seen on an AVX-512 Xeon with JDK 17 and 25).

    python benchmarks/peers/scenario_h5.py OUT_DIR      # -> OUT_DIR/S1.h5, S2.h5, S4.h5 (S3 = S4 at batch 64)
"""
import os
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tf_keras as K  # noqa: E402


def scenario(name):
    L = K.layers

    def lstm(units, **kw):
        return L.LSTM(units, recurrent_initializer="glorot_uniform", **kw)

    if name == "S1":
        return K.Sequential([K.Input((1, 32)), lstm(128)])
    if name == "S2":
        return K.Sequential([K.Input((50, 8)), lstm(64, return_sequences=True), lstm(64), L.Dense(1)])
    if name == "S4":
        return K.Sequential([K.Input((100, 64)), lstm(256)])
    raise ValueError(name)


def main(out):
    os.makedirs(out, exist_ok=True)
    for name in ("S1", "S2", "S4"):
        K.utils.set_random_seed(42)
        m = scenario(name)
        m.save(os.path.join(out, name + ".h5"), save_format="h5")
        print("wrote", os.path.join(out, name + ".h5"))


if __name__ == "__main__":
    main(sys.argv[1])
