"""Unit cases of the training fixtures: optimizer, schedule, loss, metric, regularizer.

Each case is computed by the real Keras 3 objects (eager TensorFlow), one step / one call at a time."""
import numpy as np
import tensorflow as tf
import keras

from keras.src.trainers import compile_utils

from training_common import (UNIT_TOLERANCES, optimizer_variable_entries, put_float, put_int,
                             rng_for, serialize, store_optimizer_values, to_jsonable)

SCHED = keras.optimizers.schedules
OPT_STEPS = 10
VAR_SHAPES = [(3, 4), (4,), (2, 2)]
SPARSE_VAR_SHAPES = [(5, 2), (4,)]
SPARSE_ROWS = 6


# ---------------------------------------------------------------- optimizer
def _optimizer_specs():
    """(id suffix, factory, gradient scale, zero-gradient variable index or None, description)."""
    O = keras.optimizers
    return [
        ("sgd", lambda: O.SGD(learning_rate=0.1), 1.0, None, "SGD(lr 0.1)"),
        ("sgd_momentum", lambda: O.SGD(learning_rate=0.1, momentum=0.9), 1.0, None, "SGD(lr 0.1, momentum 0.9)"),
        ("sgd_nesterov", lambda: O.SGD(learning_rate=0.1, momentum=0.9, nesterov=True), 1.0, None,
         "SGD(lr 0.1, momentum 0.9, nesterov)"),
        ("sgd_weight_decay", lambda: O.SGD(learning_rate=0.1, weight_decay=0.05), 1.0, None,
         "SGD(lr 0.1, weight_decay 0.05)"),
        ("sgd_clipnorm", lambda: O.SGD(learning_rate=0.1, clipnorm=1.0), 2.0, None,
         "SGD(lr 0.1, clipnorm 1.0): each variable's gradient clipped to L2 norm <= 1"),
        ("sgd_ema", lambda: O.SGD(learning_rate=0.1, momentum=0.9, use_ema=True, ema_momentum=0.9,
                                 ema_overwrite_frequency=4), 1.0, None,
         "SGD(lr 0.1, momentum 0.9, use_ema, ema_momentum 0.9, ema_overwrite_frequency 4)"),
        ("adam", lambda: O.Adam(), 1.0, None, "Adam() defaults (lr 0.001)"),
        ("adam_amsgrad", lambda: O.Adam(learning_rate=0.01, amsgrad=True), 1.0, None, "Adam(lr 0.01, amsgrad)"),
        ("adam_weight_decay", lambda: O.Adam(learning_rate=0.01, weight_decay=0.1), 1.0, None,
         "Adam(lr 0.01, weight_decay 0.1)"),
        ("adam_clipvalue", lambda: O.Adam(learning_rate=0.01, clipvalue=0.5), 1.0, None,
         "Adam(lr 0.01, clipvalue 0.5)"),
        ("adamw", lambda: O.AdamW(), 1.0, None, "AdamW() defaults (lr 0.001, weight_decay 0.004)"),
        ("adamw_zero_grad", lambda: O.AdamW(learning_rate=0.01, weight_decay=0.1), 1.0, 2,
         "AdamW(lr 0.01, weight_decay 0.1); variable 2 gets an all-zero gradient at every step"),
        ("rmsprop", lambda: O.RMSprop(), 1.0, None, "RMSprop() defaults (lr 0.001, rho 0.9)"),
        ("rmsprop_momentum", lambda: O.RMSprop(learning_rate=0.01, momentum=0.9), 1.0, None,
         "RMSprop(lr 0.01, momentum 0.9)"),
        ("rmsprop_centered", lambda: O.RMSprop(learning_rate=0.01, centered=True), 1.0, None,
         "RMSprop(lr 0.01, centered)"),
        ("rmsprop_global_clipnorm", lambda: O.RMSprop(learning_rate=0.01, global_clipnorm=1.0), 2.0, None,
         "RMSprop(lr 0.01, global_clipnorm 1.0): all gradients scaled together to global L2 norm <= 1"),
        ("adagrad", lambda: O.Adagrad(learning_rate=0.05), 1.0, None,
         "Adagrad(lr 0.05; initial_accumulator_value 0.1)"),
        ("nadam", lambda: O.Nadam(), 1.0, None, "Nadam() defaults (lr 0.001)"),
        ("nadam_lr", lambda: O.Nadam(learning_rate=0.02), 1.0, None, "Nadam(lr 0.02)"),
        ("adam_exponential_decay",
         lambda: O.Adam(learning_rate=SCHED.ExponentialDecay(0.01, decay_steps=3, decay_rate=0.5)), 1.0, None,
         "Adam(lr ExponentialDecay(0.01, decay_steps 3, decay_rate 0.5))"),
        ("sgd_exponential_decay_staircase",
         lambda: O.SGD(learning_rate=SCHED.ExponentialDecay(0.1, decay_steps=3, decay_rate=0.5, staircase=True),
                       momentum=0.9), 1.0, None,
         "SGD(lr ExponentialDecay(0.1, 3, 0.5, staircase), momentum 0.9)"),
        ("sgd_cosine_decay",
         lambda: O.SGD(learning_rate=SCHED.CosineDecay(0.1, decay_steps=8, alpha=0.1)), 1.0, None,
         "SGD(lr CosineDecay(0.1, decay_steps 8, alpha 0.1)): steps 8, 9 are past decay_steps"),
        ("adam_cosine_decay_warmup",
         lambda: O.Adam(learning_rate=SCHED.CosineDecay(0.0, decay_steps=6, warmup_target=0.01, warmup_steps=4)),
         1.0, None, "Adam(lr CosineDecay(0.0, decay_steps 6, warmup_target 0.01, warmup_steps 4))"),
        ("adam_sparse", lambda: O.Adam(learning_rate=0.01), 1.0, "sparse",
         "Adam(lr 0.01); variable 0 ([5, 2], an embedding table) gets tf.IndexedSlices gradients of 6 rows with "
         "repeated indices"),
        ("rmsprop_sparse", lambda: O.RMSprop(learning_rate=0.01), 1.0, "sparse",
         "RMSprop(lr 0.01); variable 0 gets tf.IndexedSlices gradients with repeated indices"),
        ("adagrad_sparse", lambda: O.Adagrad(learning_rate=0.05), 1.0, "sparse",
         "Adagrad(lr 0.05); variable 0 gets tf.IndexedSlices gradients with repeated indices"),
        ("sgd_momentum_sparse", lambda: O.SGD(learning_rate=0.1, momentum=0.9), 1.0, "sparse",
         "SGD(lr 0.1, momentum 0.9); variable 0 gets tf.IndexedSlices gradients with repeated indices (SGD is "
         "linear in the gradient: same result as the dense sum)"),
        ("sgd_clipnorm_sparse", lambda: O.SGD(learning_rate=0.1, clipnorm=1.0), 2.0, "sparse",
         "SGD(lr 0.1, clipnorm 1.0); variable 0 gets tf.IndexedSlices gradients with repeated indices (the norm "
         "is taken over the slices)"),
        ("rmsprop_piecewise_constant",
         lambda: O.RMSprop(learning_rate=SCHED.PiecewiseConstantDecay([3, 6], [0.01, 0.005, 0.001])), 1.0, None,
         "RMSprop(lr PiecewiseConstantDecay(boundaries [3, 6], values [0.01, 0.005, 0.001]))"),
    ]


def optimizer_cases(store, log):
    cases = []
    for suffix, factory, gscale, special, desc in _optimizer_specs():
        cid = "optimizer__" + suffix
        rng = rng_for(cid)
        sparse = special == "sparse"
        zero_var = special if isinstance(special, int) else None
        shapes = SPARSE_VAR_SHAPES if sparse else VAR_SHAPES
        init = [rng.standard_normal(s).astype(np.float32) for s in shapes]
        grads = [(gscale * rng.standard_normal((OPT_STEPS,) + s)).astype(np.float32) for s in shapes]
        if zero_var is not None:
            grads[zero_var][:] = 0.0
        sparse_grads = None
        if sparse:   # variable 0: 6 gathered rows per step, rows repeat (like token ids in a batch)
            idx = rng.integers(0, shapes[0][0], (OPT_STEPS, SPARSE_ROWS)).astype(np.int32)
            idx[:, 1] = idx[:, 0]
            vals = (gscale * rng.standard_normal((OPT_STEPS, SPARSE_ROWS, shapes[0][1]))).astype(np.float32)
            grads[0][:] = 0.0
            for n in range(OPT_STEPS):
                np.add.at(grads[0][n], idx[n], vals[n])
            sparse_grads = (idx, vals)
        keras.backend.clear_session()   # optimizer names (variable paths) as in a fresh process
        opt = factory()
        variables = [keras.Variable(v.copy(), name="v%d" % i) for i, v in enumerate(init)]
        opt.build(variables)
        entries = optimizer_variable_entries(opt)
        traj = [[v.numpy().copy()] for v in variables]
        otraj = [[np.asarray(ov.numpy()).copy()] for ov in opt.variables]
        lrs = []
        for n in range(OPT_STEPS):
            lrs.append(float(np.asarray(opt.learning_rate)))
            step_grads = [tf.constant(g[n]) for g in grads]
            if sparse:
                step_grads[0] = tf.IndexedSlices(tf.constant(sparse_grads[1][n]),
                                                 tf.constant(sparse_grads[0][n].astype(np.int64)),
                                                 tf.constant(np.asarray(shapes[0], np.int64)))
            opt.apply(step_grads, variables)
            for i, v in enumerate(variables):
                traj[i].append(v.numpy().copy())
            for j, ov in enumerate(opt.variables):
                otraj[j].append(np.asarray(ov.numpy()).copy())
        if int(opt.iterations.numpy()) != OPT_STEPS:
            raise AssertionError(cid + ": iterations " + str(opt.iterations.numpy()))
        if suffix == "sgd":  # sanity: plain SGD is w - lr * g
            np.testing.assert_allclose(traj[0][1], init[0] - np.float32(0.1) * grads[0][0], atol=1e-7)
        if zero_var is not None and "adamw" in suffix:
            # zero gradient: Adam's own update is exactly 0; only the decoupled weight decay moves it
            w = init[zero_var].astype(np.float32)
            for n in range(OPT_STEPS):
                w = w - w * np.float32(0.1) * np.float32(0.01)
            np.testing.assert_allclose(traj[zero_var][-1], w, rtol=1e-6)
        dense_equivalent = None
        if sparse:   # would the dense (summed) gradient give the same trajectory?
            d_opt = factory()
            d_vars = [keras.Variable(v.copy()) for v in init]
            d_opt.build(d_vars)
            for n in range(OPT_STEPS):
                d_opt.apply([tf.constant(g[n]) for g in grads], d_vars)
            dense_equivalent = bool(np.allclose(d_vars[0].numpy(), traj[0][-1], atol=1e-6, rtol=1e-6))
            if dense_equivalent != suffix.startswith("sgd_momentum"):
                raise AssertionError(cid + ": unexpected sparse/dense equivalence %s" % dense_equivalent)
        var_entries = []
        for i, s in enumerate(shapes):
            var_entries.append({
                "name": "v%d" % i,
                "keras_path": variables[i].path,
                "shape": list(s),
                "values": put_float(store, "%s/variables/%d" % (cid, i), np.stack(traj[i])),
                "grads": put_float(store, "%s/grads/%d" % (cid, i), grads[i]),
                "sparse_grads": None if not (sparse and i == 0) else {
                    "indices": [put_int(store, "%s/sparse_grads/%d/%d/indices" % (cid, i, n), sparse_grads[0][n])
                                for n in range(OPT_STEPS)],
                    "values": [put_float(store, "%s/sparse_grads/%d/%d/values" % (cid, i, n), sparse_grads[1][n])
                               for n in range(OPT_STEPS)]},
            })
        store_optimizer_values(store, cid + "/optimizer_variables", entries, [np.stack(t) for t in otraj])
        cases.append({
            "id": cid,
            "kind": "optimizer",
            "family": type(opt).__name__.lower(),
            "tags": ["optimizer", type(opt).__name__.lower()] + _optimizer_tags(opt) + (["sparse"] if sparse else []),
            "description": desc + "; %d steps of opt.apply(grads[n], variables), eager" % OPT_STEPS,
            "optimizer": serialize(opt),
            "steps": OPT_STEPS,
            "variables": var_entries,
            "learning_rates": put_float(store, cid + "/learning_rates", np.asarray(lrs, np.float32)),
            "optimizer_variables": entries,
            "sparse_same_as_dense": dense_equivalent,
            "tolerances": dict(UNIT_TOLERANCES),
        })
    log("  %d optimizer cases" % len(cases))
    return cases


def _optimizer_tags(opt):
    tags = []
    for attr in ("clipnorm", "clipvalue", "global_clipnorm", "weight_decay"):
        if getattr(opt, attr, None):
            tags.append(attr)
    if opt.use_ema:
        tags.append("ema")
    if isinstance(opt._learning_rate, SCHED.LearningRateSchedule):
        tags += ["schedule", type(opt._learning_rate).__name__]
    for attr in ("momentum", "nesterov", "amsgrad", "centered"):
        if getattr(opt, attr, None):
            tags.append(attr)
    return tags


# ---------------------------------------------------------------- schedule
SCHEDULE_STEPS = 31


def _schedule_specs():
    return [
        ("exponential_decay", SCHED.ExponentialDecay(0.1, decay_steps=5, decay_rate=0.5)),
        ("exponential_decay_staircase", SCHED.ExponentialDecay(0.1, decay_steps=5, decay_rate=0.5, staircase=True)),
        ("cosine_decay", SCHED.CosineDecay(0.1, decay_steps=20)),
        ("cosine_decay_alpha", SCHED.CosineDecay(0.1, decay_steps=20, alpha=0.2)),
        ("cosine_decay_warmup", SCHED.CosineDecay(0.01, decay_steps=15, alpha=0.1, warmup_target=0.1,
                                                  warmup_steps=5)),
        ("piecewise_constant", SCHED.PiecewiseConstantDecay([5, 12, 20], [0.1, 0.05, 0.02, 0.005])),
        ("polynomial_decay", SCHED.PolynomialDecay(0.1, decay_steps=20, end_learning_rate=0.01, power=2.0)),
        ("polynomial_decay_cycle", SCHED.PolynomialDecay(0.1, decay_steps=8, end_learning_rate=0.01, power=1.0,
                                                         cycle=True)),
        ("inverse_time_decay", SCHED.InverseTimeDecay(0.1, decay_steps=4, decay_rate=0.5)),
        ("inverse_time_decay_staircase", SCHED.InverseTimeDecay(0.1, decay_steps=4, decay_rate=0.5, staircase=True)),
        ("cosine_decay_restarts", SCHED.CosineDecayRestarts(0.1, first_decay_steps=5, t_mul=2.0, m_mul=0.5,
                                                            alpha=0.1)),
    ]


def schedule_cases(store, log):
    cases = []
    for suffix, sched in _schedule_specs():
        cid = "schedule__" + suffix
        # the optimizer calls the schedule with its int64 `iterations` variable
        lrs = [float(np.asarray(sched(tf.constant(s, tf.int64)))) for s in range(SCHEDULE_STEPS)]
        cases.append({
            "id": cid,
            "kind": "schedule",
            "family": type(sched).__name__,
            "tags": ["schedule", type(sched).__name__],
            "description": "%s: learning rate at optimizer steps 0..%d (the step is the optimizer's int64 "
                           "iterations before the update)" % (type(sched).__name__, SCHEDULE_STEPS - 1),
            "schedule": serialize(sched),
            "steps": SCHEDULE_STEPS,
            "learning_rates": put_float(store, cid + "/learning_rates", np.asarray(lrs, np.float32)),
            "tolerances": dict(UNIT_TOLERANCES),
        })
    log("  %d schedule cases" % len(cases))
    return cases


# ---------------------------------------------------------------- loss
B, T, D = 4, 5, 3
EDGE_PROBS = np.asarray([0.0, 1.0, 1e-7, 1e-9, 0.9999999, 1.0 - 1e-8, 0.5, 1e-6], np.float32)


def _probs(rng, shape):
    """Probabilities in (0, 1) with the edge values 0, 1, epsilon (1e-7), below and above it."""
    p = rng.uniform(0.02, 0.98, shape).astype(np.float32)
    flat = p.reshape(-1)
    flat[:len(EDGE_PROBS)] = EDGE_PROBS
    return p


def _softmax_rows(rng, shape, edges):
    z = rng.standard_normal(shape).astype(np.float32)
    p = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    p = p.astype(np.float32)
    if edges:  # rows hitting 0 and 1 exactly, and one row that does not sum to 1 (Keras renormalizes)
        flat = p.reshape(-1, shape[-1])
        flat[0] = 0.0
        flat[0, 0] = 1.0
        flat[1] = 0.0
        flat[1, -1] = 1.0
        flat[2] = np.asarray([1e-8] + [0.3] * (shape[-1] - 1), np.float32)
    return p


def _onehot(rng, shape):
    idx = rng.integers(0, shape[-1], shape[:-1])
    return np.eye(shape[-1], dtype=np.float32)[idx], idx.astype(np.int32)


def _loss_specs():
    L = keras.losses
    # (name, factory, kind of y: regression|binary|categorical|sparse, y_pred: values|probs|logits|softmax)
    return [
        ("mean_squared_error", lambda: L.MeanSquaredError(), "regression", "values"),
        ("mean_absolute_error", lambda: L.MeanAbsoluteError(), "regression", "values"),
        ("huber", lambda: L.Huber(), "regression", "values"),
        ("huber_delta_0_5", lambda: L.Huber(delta=0.5), "regression", "values"),
        ("log_cosh", lambda: L.LogCosh(), "regression", "values"),
        ("binary_crossentropy", lambda: L.BinaryCrossentropy(), "binary", "probs"),
        ("binary_crossentropy_from_logits", lambda: L.BinaryCrossentropy(from_logits=True), "binary", "logits"),
        ("binary_crossentropy_label_smoothing", lambda: L.BinaryCrossentropy(label_smoothing=0.2), "binary",
         "probs"),
        ("categorical_crossentropy", lambda: L.CategoricalCrossentropy(), "categorical", "softmax"),
        ("categorical_crossentropy_from_logits", lambda: L.CategoricalCrossentropy(from_logits=True),
         "categorical", "logits"),
        ("categorical_crossentropy_label_smoothing", lambda: L.CategoricalCrossentropy(label_smoothing=0.1),
         "categorical", "softmax"),
        ("sparse_categorical_crossentropy", lambda: L.SparseCategoricalCrossentropy(), "sparse", "softmax"),
        ("sparse_categorical_crossentropy_from_logits",
         lambda: L.SparseCategoricalCrossentropy(from_logits=True), "sparse", "logits"),
    ]


def _loss_data(rng, ykind, pkind, shape):
    y_int = None
    if ykind == "regression":
        y_true = rng.standard_normal(shape).astype(np.float32)
        y_pred = rng.standard_normal(shape).astype(np.float32)
        y_pred.reshape(-1)[:3] = y_true.reshape(-1)[:3] + np.asarray([0.0, 0.5, -2.0], np.float32)  # huber edges
        return y_true, y_pred, None
    if ykind == "binary":
        y_true = rng.integers(0, 2, shape).astype(np.float32)
    else:
        y_true, y_int = _onehot(rng, shape)
    if pkind == "logits":
        y_pred = (3.0 * rng.standard_normal(shape)).astype(np.float32)
        y_pred.reshape(-1)[:2] = [40.0, -40.0]
    elif pkind == "probs":
        y_pred = _probs(rng, shape)
    else:
        y_pred = _softmax_rows(rng, shape, edges=True)
    if ykind == "sparse":
        return y_int, y_pred, None
    return y_true, y_pred, None


def _loss_value_and_grad(loss_obj, y_true, y_pred, sw):
    yp = tf.constant(y_pred)
    with tf.GradientTape() as tape:
        tape.watch(yp)
        value = loss_obj(tf.constant(y_true), yp, None if sw is None else tf.constant(sw))
    return np.asarray(value, np.float32), tape.gradient(value, yp).numpy()


def loss_cases(store, log):
    cases = []
    for name, factory, ykind, pkind in _loss_specs():
        for rank in ("2d", "3d"):
            shape = (B, D) if rank == "2d" else (B, T, D)
            weightings = ["none", "per_sample"] if rank == "2d" else ["none", "per_timestep", "per_sample_b1"]
            for weighting in weightings:
                cid = "loss__%s__%s__%s" % (name, rank, weighting)
                rng = rng_for(cid)
                y_true, y_pred, _ = _loss_data(rng, ykind, pkind, shape)
                if weighting == "none":
                    sw = None
                elif weighting == "per_sample":
                    sw = np.asarray([1.0, 0.5, 2.0, 0.0], np.float32)
                elif weighting == "per_timestep":
                    sw = rng.uniform(0.0, 2.0, (B, T)).astype(np.float32)
                    sw[0, 0] = 0.0
                else:
                    sw = np.asarray([[1.0], [0.5], [2.0], [0.0]], np.float32)
                if weighting == "per_sample_b1" and name != "mean_squared_error":
                    continue  # one case shows [batch, 1] weights on a sequence loss
                loss_obj = factory()
                value, grad = _loss_value_and_grad(loss_obj, y_true, y_pred, sw)
                if not np.isfinite(value) or not np.all(np.isfinite(grad)):
                    raise AssertionError(cid + ": non-finite loss or gradient")
                y_is_int = ykind == "sparse"
                cases.append({
                    "id": cid,
                    "kind": "loss",
                    "family": name,
                    "tags": ["loss", name, rank, "sample_weight" if sw is not None else "no_sample_weight",
                             weighting],
                    "description": "%s on y_pred %s%s, eager call of the Loss object (reduction "
                                   "sum_over_batch_size); grad = dloss/dy_pred"
                                   % (type(loss_obj).__name__, list(shape),
                                      "" if sw is None else ", sample_weight %s" % list(sw.shape)),
                    "loss": serialize(loss_obj),
                    "y_true": (put_int if y_is_int else put_float)(store, cid + "/y_true", y_true),
                    "y_pred": put_float(store, cid + "/y_pred", y_pred),
                    "sample_weight": None if sw is None else put_float(store, cid + "/sample_weight", sw),
                    "value": put_float(store, cid + "/value", value),
                    "grad": put_float(store, cid + "/grad", grad),
                    "logits": None,
                    "tolerances": dict(UNIT_TOLERANCES),
                })
    cases += _logits_shortcut_cases(store)
    log("  %d loss cases" % len(cases))
    return cases


def _logits_shortcut_cases(store):
    """Inside a tf.function (as in fit), a crossentropy on the output of keras.activations.softmax /
    sigmoid uses the cached LOGITS (no epsilon clipping): value and grad w.r.t. the logits."""
    out = []
    specs = [
        ("binary_crossentropy", keras.losses.BinaryCrossentropy(), keras.activations.sigmoid, "binary"),
        ("categorical_crossentropy", keras.losses.CategoricalCrossentropy(), keras.activations.softmax,
         "categorical"),
        ("sparse_categorical_crossentropy", keras.losses.SparseCategoricalCrossentropy(),
         keras.activations.softmax, "sparse"),
    ]
    for name, loss_obj, act, ykind in specs:
        cid = "loss__%s__logits_shortcut" % name
        rng = rng_for(cid)
        z = (3.0 * rng.standard_normal((B, D))).astype(np.float32)
        z[0] = [30.0, -30.0, 0.0]   # saturated: probabilities round to 0 / 1 in float32
        if ykind == "binary":
            y_true = rng.integers(0, 2, (B, D)).astype(np.float32)
            y_true[0] = [0.0, 1.0, 1.0]
        else:
            y_true, y_int = _onehot(rng, (B, D))
            y_true[0] = [0.0, 1.0, 0.0]
            y_int[0] = 1
            if ykind == "sparse":
                y_true = y_int

        @tf.function
        def fn(yt, logits):
            with tf.GradientTape() as tape:
                tape.watch(logits)
                value = loss_obj(yt, act(logits))
            return value, tape.gradient(value, logits), act(logits)

        value, grad, y_pred = fn(tf.constant(y_true), tf.constant(z))
        value, grad = np.asarray(value, np.float32), grad.numpy()
        clipped, _ = _loss_value_and_grad(loss_obj, y_true, y_pred.numpy(), None)
        if abs(float(clipped) - float(value)) < 1e-3:
            raise AssertionError(cid + ": expected the logits path to differ from the clipped path")
        out.append({
            "id": cid,
            "kind": "loss",
            "family": name,
            "tags": ["loss", name, "2d", "no_sample_weight", "logits_shortcut"],
            "description": "%s applied (inside tf.function, as fit does) to keras.activations.%s(logits): "
                           "Keras uses the cached logits, not the clipped probabilities. y_pred = the "
                           "activation output; value = that loss (NOT equal to the eager loss on y_pred, "
                           "which would be %.6g); grad = dloss/dlogits" % (
                               type(loss_obj).__name__, act.__name__, float(clipped)),
            "loss": serialize(loss_obj),
            "y_true": (put_int if ykind == "sparse" else put_float)(store, cid + "/y_true", y_true),
            "y_pred": put_float(store, cid + "/y_pred", y_pred.numpy()),
            "sample_weight": None,
            "value": put_float(store, cid + "/value", value),
            "grad": put_float(store, cid + "/grad", grad),
            "logits": put_float(store, cid + "/logits", z),
            "tolerances": dict(UNIT_TOLERANCES),
        })
    return out


# ---------------------------------------------------------------- metric
def _metric_specs():
    M = keras.metrics
    # (id, factory or "accuracy", ykind, batch shapes, with sample_weight)
    return [
        ("mae", lambda: M.MeanAbsoluteError(), "regression", [(4, 3), (6, 3)], False),
        ("mae_weighted", lambda: M.MeanAbsoluteError(), "regression", [(4, 3), (6, 3)], True),
        ("mae_sequence", lambda: M.MeanAbsoluteError(), "regression", [(4, 5, 2), (2, 5, 2)], False),
        ("mse", lambda: M.MeanSquaredError(), "regression", [(4, 3), (6, 3)], False),
        ("accuracy_binary", "accuracy", "binary", [(4, 1), (6, 1)], False),
        ("accuracy_binary_weighted", "accuracy", "binary", [(4, 1), (6, 1)], True),
        ("accuracy_multilabel", "accuracy", "binary", [(4, 3), (6, 3)], False),
        ("accuracy_categorical", "accuracy", "categorical", [(4, 3), (6, 3)], False),
        ("accuracy_sparse", "accuracy", "sparse", [(4, 3), (6, 3)], False),
        ("accuracy_sparse_weighted", "accuracy", "sparse", [(4, 3), (6, 3)], True),
    ]


def metric_cases(store, log):
    cases = []
    for suffix, factory, ykind, shapes, weighted in _metric_specs():
        cid = "metric__" + suffix
        rng = rng_for(cid)
        batches_data = []
        for shape in shapes:
            if ykind == "regression":
                yt = rng.standard_normal(shape).astype(np.float32)
                yp = rng.standard_normal(shape).astype(np.float32)
            elif ykind == "binary":
                yt = rng.integers(0, 2, shape).astype(np.float32)
                yp = rng.uniform(0, 1, shape).astype(np.float32)
                yp.reshape(-1)[0] = 0.5   # threshold: 0.5 counts as 0 (y_pred > 0.5)
            else:
                yt, yi = _onehot(rng, shape)
                yp = _softmax_rows(rng, shape, edges=False)
                yp[0] = [0.4, 0.4, 0.2]   # tie: argmax takes the first
                if ykind == "sparse":
                    yt = yi
            sw = rng.uniform(0, 2, shape[:1]).astype(np.float32) if weighted else None
            batches_data.append((yt, yp, sw))
        if factory == "accuracy":
            metric = compile_utils.get_metric("accuracy", tf.constant(batches_data[0][0]),
                                              tf.constant(batches_data[0][1]))
        else:
            metric = factory()
        batches = []
        for k, (yt, yp, sw) in enumerate(batches_data):
            metric.update_state(tf.constant(yt), tf.constant(yp), None if sw is None else tf.constant(sw))
            result = np.asarray(metric.result(), np.float32)
            p = "%s/batches/%d" % (cid, k)
            batches.append({
                "y_true": (put_int if ykind == "sparse" else put_float)(store, p + "/y_true", yt),
                "y_pred": put_float(store, p + "/y_pred", yp),
                "sample_weight": None if sw is None else put_float(store, p + "/sample_weight", sw),
                "result": put_float(store, p + "/result", result),
            })
        cases.append({
            "id": cid,
            "kind": "metric",
            "family": type(metric).__name__,
            "tags": ["metric", type(metric).__name__] + (["sample_weight"] if weighted else [])
                    + (["accuracy_alias"] if factory == "accuracy" else []),
            "description": "%s%s: update_state with two batches (sizes %d and %d); result() after each is the "
                           "running mean over SAMPLES (a batch weighs by its sample count / weight sum)" % (
                               type(metric).__name__,
                               " (what compile's \"accuracy\" resolves to for y_true %s, y_pred %s)" % (
                                   list(np.shape(batches_data[0][0])), list(shapes[0]))
                               if factory == "accuracy" else "",
                               shapes[0][0], shapes[1][0]),
            "metric": serialize(metric),
            "resolved_from": "accuracy" if factory == "accuracy" else None,
            "batches": batches,
            "tolerances": dict(UNIT_TOLERANCES),
        })
    log("  %d metric cases" % len(cases))
    return cases


# ---------------------------------------------------------------- regularizer
def regularizer_cases(store, log):
    R = keras.regularizers
    specs = [("l1", R.L1()), ("l2", R.L2()), ("l1l2", R.L1L2(l1=0.01, l2=0.02)), ("l2_0_1", R.L2(0.1))]
    cases = []
    for suffix, reg in specs:
        cid = "regularizer__" + suffix
        w = rng_for(cid).standard_normal((3, 4)).astype(np.float32)
        w[0, 0] = 0.0   # d|w|/dw at 0 is 0 in TF (sign(0))
        wt = tf.constant(w)
        with tf.GradientTape() as tape:
            tape.watch(wt)
            value = reg(wt)
        grad = tape.gradient(value, wt).numpy()
        cases.append({
            "id": cid,
            "kind": "regularizer",
            "family": type(reg).__name__,
            "tags": ["regularizer", type(reg).__name__],
            "description": "%s on a [3, 4] weight (element [0, 0] is exactly 0): value and d value / d weight"
                           % type(reg).__name__,
            "regularizer": serialize(reg),
            "weight": put_float(store, cid + "/weight", w),
            "value": put_float(store, cid + "/value", np.asarray(value, np.float32)),
            "grad": put_float(store, cid + "/grad", grad),
            "tolerances": dict(UNIT_TOLERANCES),
        })
    log("  %d regularizer cases" % len(cases))
    return cases


def unit_cases(store, log):
    cases = []
    for fn in (optimizer_cases, schedule_cases, loss_cases, metric_cases, regularizer_cases):
        cases += fn(store, log)
    return to_jsonable(cases)
