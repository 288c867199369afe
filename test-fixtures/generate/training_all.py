#!/usr/bin/env python3
"""Generate the TRAINING fixture set: fixtures/training/{manifest.json, training.h5, models/**}.

Called by generate_all.py (``generate.sh`` = both sets, ``generate.sh training`` = this set only,
``generate.sh training:<substring>`` = dev only: just the cases whose id contains <substring>)."""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402,F401  (env + determinism before TF import)
from common import ArrayStore, versions  # noqa: E402
from training_common import FORMAT_VERSION, TRAINING  # noqa: E402

T0 = time.time()


def log(msg):
    print("[%6.1fs] %s" % (time.time() - T0, msg), flush=True)


def generate_training(filters=(), logger=log):
    """Rewrites fixtures/training/ (only the cases whose id contains one of `filters`, if given)."""
    import training_units
    import training_fit
    if os.path.isdir(TRAINING):
        shutil.rmtree(TRAINING)
    os.makedirs(TRAINING)
    store = ArrayStore()
    cases = []

    logger("training: unit cases")
    cases += [c for c in training_units.unit_cases(store, logger) if _keep(c["id"], filters)]
    logger("training: fit cases")
    cases += training_fit.fit_cases(store, logger, lambda cid: _keep(cid, filters))
    ids = {c["id"] for c in cases}  # every dataset of a case lives under "<case id>/"
    store.arrays = {k: v for k, v in store.arrays.items() if k.split("/", 1)[0] in ids}
    store.write(os.path.join(TRAINING, "training.h5"))
    manifest = {"generator": versions(), "format_version": FORMAT_VERSION, "cases": cases}
    with open(os.path.join(TRAINING, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(TRAINING) for fn in fns)
    counts = {}
    for c in cases:
        counts[c["kind"]] = counts.get(c["kind"], 0) + 1
    logger("training: wrote %d cases %s, %d arrays, %.2f MB" % (len(cases), counts, len(store.arrays), total / 1e6))


def _keep(case_id, filters):
    return not filters or any(f in case_id for f in filters)


if __name__ == "__main__":
    generate_training(tuple(sys.argv[1:]))
