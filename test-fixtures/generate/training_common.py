"""Shared helpers of the TRAINING fixture generator (fixtures/training/).

The training set has its own manifest.json + training.h5 (plain contiguous float32 / int32
datasets, like cases.h5) + model files under models/<case_id>/. See README "Training fixtures"."""
import json
import os

import numpy as np
import keras

from common import FIXTURES, ArrayStore, stable_seed  # noqa: F401  (re-exported)

TRAINING = os.path.join(FIXTURES, "training")       # test-fixtures/fixtures/training/
FORMAT_VERSION = 1

# Default comparison tolerances recorded in every case (|a - e| <= atol + rtol * |e|).
FIT_TOLERANCES = {
    "weights_atol_first_step": 1e-5,
    "weights_atol_final": 1e-4,
    "weights_rtol": 1e-5,
    "loss_rtol": 1e-5,
    "loss_atol": 1e-6,
    "grad_atol": 1e-5,
    "grad_rtol": 1e-5,
}
UNIT_TOLERANCES = {"atol": 1e-6, "rtol": 1e-5}


def rng_for(name):
    """A NumPy generator seeded from a case id (independent of PYTHONHASHSEED)."""
    return np.random.default_rng(stable_seed("training/" + name))


def to_jsonable(obj):
    """Keras configs as plain JSON (tuples -> lists, numpy scalars -> Python numbers)."""
    return json.loads(json.dumps(obj, default=_json_default))


def _json_default(o):
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, tuple):
        return list(o)
    raise TypeError("not JSON serializable: %r" % (o,))


def put_float(store, path, arr):
    return store.put(path, np.asarray(arr, np.float32), np.float32)


def put_int(store, path, arr):
    a = np.asarray(arr)
    if a.size and (a.max() > 2**31 - 1 or a.min() < -2**31):
        raise ValueError(path + ": int value out of int32 range")
    return store.put(path, a.astype(np.int32), np.int32)


def optimizer_variable_entries(opt):
    """Describes opt.variables in Keras's order (= optimizer/vars/<index> in a saved .keras)."""
    out = []
    for j, v in enumerate(opt.variables):
        out.append({
            "index": j,
            "path": v.path,
            "name": v.name,
            "shape": [int(d) for d in v.shape],
            "dtype": str(v.dtype),
        })
    return out


def store_optimizer_values(store, prefix, entries, stacked):
    """stacked[j]: array [n, *shape] of optimizer variable j; int variables stored as int32."""
    for e, arr in zip(entries, stacked):
        path = "%s/%d" % (prefix, e["index"])
        if e["dtype"].startswith("int"):
            e["values"] = put_int(store, path, arr)
        else:
            e["values"] = put_float(store, path, arr)
    return entries


def max_abs_diff(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise AssertionError("shape %s vs %s" % (a.shape, b.shape))
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def check_close(a, b, what, atol=1e-6, rtol=1e-6):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise AssertionError("%s: shapes %s vs %s" % (what, a.shape, b.shape))
    if not np.allclose(a, b, atol=atol, rtol=rtol):
        raise AssertionError("%s: max diff %.3g (atol %g, rtol %g)" % (what, max_abs_diff(a, b), atol, rtol))


def serialize(obj):
    return to_jsonable(keras.saving.serialize_keras_object(obj))
