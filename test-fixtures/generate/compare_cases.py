#!/usr/bin/env python3
"""Determinism check: compare two cases.h5 files dataset by dataset (exact equality).
Usage: compare_cases.py A.h5 B.h5   (exit code 1 on any difference)."""
import sys

import h5py
import numpy as np


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: out.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None)
    return out


def main(a, b):
    da, db = datasets(a), datasets(b)
    bad = sorted(set(da) ^ set(db))
    for k in sorted(set(da) & set(db)):
        if da[k].dtype != db[k].dtype or da[k].shape != db[k].shape or not np.array_equal(da[k], db[k]):
            bad.append(k)
    print("%d datasets compared, %d differ" % (len(set(da) | set(db)), len(bad)))
    for k in bad[:20]:
        print("  DIFF", k)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
