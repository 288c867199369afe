"""Shared setup: environment, seeding, versions, the HDF5 array store."""
import os

# Must be set before TensorFlow is imported anywhere.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "0")

import random  # noqa: E402

import numpy as np  # noqa: E402
import h5py  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
import tf_keras  # noqa: E402

import logging  # noqa: E402
import warnings  # noqa: E402

tf.get_logger().setLevel(logging.ERROR)
logging.getLogger("absl").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message=".*HDF5 file.*legacy.*")
warnings.filterwarnings("ignore", message=".*retracing.*")

tf.config.experimental.enable_op_determinism()
try:
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
except RuntimeError:
    pass

HERE = os.path.dirname(os.path.abspath(__file__))
TF_ROOT = os.path.dirname(HERE)                      # test-fixtures/
FIXTURES = os.path.join(TF_ROOT, "fixtures")         # test-fixtures/fixtures/
# /work/shared; JKERAS_SHARED_ROOT overrides it when generating in a copy of test-fixtures/ elsewhere.
SHARED_ROOT = os.environ.get("JKERAS_SHARED_ROOT") or os.path.normpath(os.path.join(TF_ROOT, "..", "..", "shared"))

KERAS3_VERSION = keras.__version__
TF_KERAS_VERSION = tf_keras.__version__


def versions():
    return {
        "keras": keras.__version__,
        "tf_keras": tf_keras.__version__,
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
        "h5py": h5py.__version__,
    }


def seed_everything(seed):
    """Seed Python, NumPy, TF, Keras 3 and tf_keras global RNGs."""
    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)
    keras.utils.set_random_seed(seed)
    tf_keras.utils.set_random_seed(seed)


def stable_seed(name):
    """A deterministic seed derived from a string (independent of PYTHONHASHSEED)."""
    h = 0
    for ch in name.encode("utf-8"):
        h = (h * 131 + ch) % 2_000_000_011
    return h % (2**31 - 1)


class ArrayStore:
    """Collects arrays destined for cases.h5 (plain contiguous, uncompressed datasets)."""

    def __init__(self):
        self.arrays = {}

    def put(self, path, arr, dtype=np.float32):
        arr = np.ascontiguousarray(np.asarray(arr, dtype=dtype))
        if path in self.arrays:
            if not np.array_equal(self.arrays[path], arr):
                raise ValueError("conflicting array for " + path)
        self.arrays[path] = arr
        return path

    def write(self, filename):
        with h5py.File(filename, "w", track_order=True) as f:
            for path in sorted(self.arrays):
                f.create_dataset(path, data=self.arrays[path])  # no chunking, no compression
