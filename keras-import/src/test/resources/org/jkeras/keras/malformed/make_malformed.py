"""Writes the crafted model files MalformedFilesTest reads (run with the fixture venv, from any directory:
   test-fixtures/.venv/bin/python keras-import/src/test/resources/org/jkeras/keras/malformed/make_malformed.py

The bases are tiny models saved by real Keras 3 (so every crafted file has complete weights and fails for the
reason it was crafted for); the hostile variants are made from them with h5py, zipfile and byte edits. Files that
are odd but legal (other float types, filters, soft links inside the file, NaN weights, a registered custom
layer) are loaded back by Keras, and Keras's predictions on INPUT are written to expected.json, so the Java test
compares jkeras with Keras, not with itself. Deterministic except for the save dates inside .keras metadata.
Files that would be large (10 000-entry zips, 100 000-layer configs, megabyte strings) are made by the test.
"""
import io
import json
import os
import struct
import sys
import zipfile
import zlib

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("PYTHONHASHSEED", "0")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
INPUT = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], np.float32)
EXPECTED = {}


def path(name):
    return os.path.join(OUT, name)


def clean():
    for f in os.listdir(OUT):
        if f not in ("make_malformed.py", "README.md"):
            os.remove(path(f))


def expect(name, model):
    """Records Keras's prediction of a file it loaded."""
    y = np.asarray(model.predict(INPUT, verbose=0), np.float32)
    EXPECTED[name] = {"input": INPUT.tolist(), "output": [[repr_float(v) for v in row] for row in y]}


def repr_float(v):
    return "NaN" if np.isnan(v) else ("Infinity" if v == np.inf else ("-Infinity" if v == -np.inf else float(v)))


# ---------------------------------------------------------------- bases, by real Keras


def bases():
    keras.utils.set_random_seed(7)
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="tanh", name="dense"),
                            keras.layers.Dense(1, name="out")], name="seq")
    seq.save(path("base_seq.keras"))
    seq.save(path("base_seq.h5"))
    with open(path("base_seq.json"), "w") as f:
        f.write(seq.to_json())
    seq.save_weights(path("base_seq.weights.h5"))
    expect("base_seq.keras", seq)
    x = keras.Input((3,), name="x")
    a = keras.layers.Dense(2, activation="tanh", name="a")(x)
    b = keras.layers.Dense(1, name="b")(a)
    fn = keras.Model(x, b, name="fn")
    fn.save(path("base_fn.keras"))
    expect("base_fn.keras", fn)
    three = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense"),
                              keras.layers.Dense(2, name="dense_b"), keras.layers.Dense(1, name="out")],
                             name="three")
    three.save(path("_three.h5"))
    # a real Lambda layer between weighted layers: complete weights, refused for the Lambda alone
    lam = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense"),
                            keras.layers.Lambda(lambda t: t * 2.0, name="double"),
                            keras.layers.Dense(1, name="out")], name="lam")
    lam.save(path("lambda_layer.keras"))


@keras.saving.register_keras_serializable(package="jkeras_test")
class ScaledDense(keras.layers.Layer):
    """y = scale * tanh(x @ kernel + bias): a custom layer class, registered under jkeras_test>ScaledDense."""

    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                      name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="random_normal", name="bias")

    def call(self, x):
        return self.scale * keras.ops.tanh(keras.ops.matmul(x, self.kernel) + self.bias)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "scale": self.scale}


def custom_layer():
    keras.utils.set_random_seed(11)
    m = keras.Sequential([keras.Input((3,)), ScaledDense(4, scale=2.5, name="scaled"),
                          keras.layers.Dense(1, name="out")], name="custom")
    m.save(path("custom_layer.keras"))
    again = keras.saving.load_model(path("custom_layer.keras"))
    expect("custom_layer.keras", again)


# ---------------------------------------------------------------- helpers


def copy_h5(src, dst, override=None, libver=None):
    """Copies an HDF5 file object by object (so dropped data leaves no space behind); override(name, ds, group)
    may write a dataset itself and return True."""
    with h5py.File(src, "r") as s, h5py.File(dst, "w", libver=libver) as d:
        for k, v in s.attrs.items():
            d.attrs[k] = v

        def visit(sg, dg):
            for k, v in sg.attrs.items():
                dg.attrs[k] = v
            for name, obj in sg.items():
                if isinstance(obj, h5py.Group):
                    visit(obj, dg.create_group(name))
                elif override is None or not override(obj.name, obj, dg):
                    dg.create_dataset(name, data=obj[()])
                    for k, v in obj.attrs.items():
                        dg[name].attrs[k] = v
        visit(s, d)


def zip_entries(src):
    with zipfile.ZipFile(src) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_zip(dst, entries, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(dst, "w", compression) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, data)


def keras_with_weights(dst, src_keras, edit):
    """A copy of a .keras file whose model.weights.h5 went through edit(h5py.File)."""
    entries = zip_entries(src_keras)
    tmp = path("_w.h5")
    with open(tmp, "wb") as f:
        f.write(dict(entries)["model.weights.h5"])
    with h5py.File(tmp, "r+") as f:
        edit(f)
    packed = path("_w2.h5")
    copy_links(tmp, packed)
    with open(packed, "rb") as f:
        weights = f.read()
    write_zip(dst, [(n, weights if n == "model.weights.h5" else d) for n, d in entries])
    os.remove(tmp)
    os.remove(packed)


def copy_links(src, dst):
    """Repacks an HDF5 file keeping soft/external links and hard-link loops as they are (h5repack's job)."""
    os.system(f"cp '{src}' '{dst}'")


def keras_with_config(dst, src_keras, edit):
    entries = zip_entries(src_keras)
    config = json.loads(dict(entries)["config.json"])
    edit(config)
    write_zip(dst, [(n, json.dumps(config).encode() if n == "config.json" else d) for n, d in entries])


def json_with(dst, src_json, edit):
    with open(path(src_json)) as f:
        config = json.load(f)
    edit(config)
    with open(path(dst), "w") as f:
        json.dump(config, f)


def h5_config(dst, src_h5, edit):
    """A legacy .h5 whose model_config went through edit(dict)."""
    copy_h5(path(src_h5), path(dst))
    with h5py.File(path(dst), "r+") as f:
        c = json.loads(f.attrs["model_config"])
        edit(c)
        f.attrs["model_config"] = json.dumps(c)


def seq_layers(c):
    return c["config"]["layers"]


def fn_layer(c, name):
    return next(layer for layer in c["config"]["layers"] if layer["config"]["name"] == name)


KERNEL = "/model_weights/dense/seq/dense/kernel"
BIAS = "/model_weights/dense/seq/dense/bias"


def h5_override(dst, target, write, src="base_seq.h5", libver=None):
    """base .h5 with the dataset at `target` written by write(group, name, original_values) instead."""
    def override(name, obj, dg):
        if name != target:
            return False
        write(dg, name.rsplit("/", 1)[1], obj[()])
        return True
    copy_h5(path(src), path(dst), override, libver)


def custom_float(group, name, values, spos, epos, esize, mpos, msize, ebias, size, norm=None):
    t = h5py.h5t.IEEE_F32LE.copy()
    t.set_fields(spos, epos, esize, mpos, msize)
    if norm is not None:
        t.set_norm(norm)
    t.set_ebias(ebias)
    if size * 8 < 32:
        t.set_precision(size * 8)
        t.set_size(size)
    space = h5py.h5s.create_simple(values.shape)
    ds = h5py.h5d.create(group.id, name.encode(), t, space)
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, np.ascontiguousarray(values, np.float32))


def keras_loads(name):
    """Keras loads the crafted legacy file: its prediction is what jkeras must give."""
    expect(name, keras.saving.load_model(path(name), compile=False))


def hdf5_cases():
    # links
    with h5py.File(path("stolen_bias.h5"), "w") as f:
        f["bias"] = np.array([100.0, -100.0], np.float32)
    h5_override("h5_external_link.h5", BIAS,
                lambda g, n, v: g.__setitem__(n, h5py.ExternalLink("stolen_bias.h5", "/bias")))

    def cycle(f, at, other):
        del f[at]
        f[at] = h5py.SoftLink(other)
        f[other] = h5py.SoftLink(at)
    copy_h5(path("base_seq.h5"), path("h5_softlink_cycle.h5"))
    with h5py.File(path("h5_softlink_cycle.h5"), "r+") as f:
        cycle(f, "/model_weights/dense/seq", "/model_weights/dense/loop")
    copy_h5(path("base_seq.h5"), path("h5_softlink_dangling.h5"))
    with h5py.File(path("h5_softlink_dangling.h5"), "r+") as f:
        del f[BIAS]
        f[BIAS] = h5py.SoftLink("/nowhere/bias")
    copy_h5(path("base_seq.h5"), path("h5_softlink_inside.h5"))  # legal: Keras loads it, so does jkeras
    with h5py.File(path("h5_softlink_inside.h5"), "r+") as f:
        f["/shared/bias"] = f[BIAS][()]
        del f[BIAS]
        f[BIAS] = h5py.SoftLink("/shared/bias")  # Keras refuses even this: "Not allowed: H5 file with SoftLink"
    keras_with_weights(path("keras_softlink_cycle.keras"), path("base_seq.keras"),
                       lambda f: cycle(f, "/layers/dense", "/layers/dense_loop"))
    keras_with_weights(path("keras_external_link.keras"), path("base_seq.keras"),
                       lambda f: (f.__delitem__("/layers/dense/vars/1"),
                                  f.__setitem__("/layers/dense/vars/1", h5py.ExternalLink("stolen_bias.h5", "/bias"))))
    keras_with_weights(path("keras_missing_weight.keras"), path("base_seq.keras"),
                       lambda f: f.__delitem__("/layers/dense/vars/1"))
    keras_with_weights(path("keras_extra_weight.keras"), path("base_seq.keras"),
                       lambda f: f.__setitem__("/layers/dense/vars/2", np.zeros(2, np.float32)))
    keras_with_weights(path("keras_no_weights_for_layer.keras"), path("base_seq.keras"),
                       lambda f: f.__delitem__("/layers/dense"))
    keras_with_weights(path("keras_hardlink_loop.keras"), path("base_seq.keras"),
                       lambda f: f.__setitem__("/layers/dense/loop", f["/layers/dense"]))
    # storage outside the file
    with open(path("stolen.bin"), "wb") as f:
        f.write(np.full(6, 9.0, np.float32).tobytes())
    h5_override("h5_external_storage.h5", KERNEL,
                lambda g, n, v: g.create_dataset(n, shape=v.shape, dtype="<f4", external=[("stolen.bin", 0, 24)]))
    layout = h5py.VirtualLayout(shape=(3, 2), dtype="<f4")
    for row in range(3):
        layout[row] = h5py.VirtualSource("stolen_bias.h5", "bias", shape=(2,))
    h5_override("h5_virtual_dataset.h5", KERNEL, lambda g, n, v: g.create_virtual_dataset(n, layout), libver="latest")
    # decompression bombs
    bomb = zlib.compress(b"\0" * 10_000_000, 9)

    def chunk_bomb(g, n, v):
        ds = g.create_dataset(n, shape=v.shape, dtype="<f4", chunks=v.shape, compression="gzip")
        ds.id.write_direct_chunk((0, 0), bomb)
    h5_override("h5_chunk_bomb.h5", KERNEL, chunk_bomb)
    keras.utils.set_random_seed(3)
    wide = keras.Sequential([keras.Input((5000,)), keras.layers.Dense(4096, kernel_initializer="zeros", name="dense")],
                            name="seq")  # 82 MB of zeros: past the 64 MiB floor of the ratio check
    wide.save(path("_wide.h5"))
    h5_override("h5_ratio_bomb.h5", KERNEL,
                lambda g, n, v: g.create_dataset(n, data=v, chunks=(250, 4096), compression="gzip",
                                                 compression_opts=9), src="_wide.h5")
    os.remove(path("_wide.h5"))
    # filters and checksums
    h5_override("h5_fletcher_ok.h5", KERNEL,
                lambda g, n, v: g.create_dataset(n, data=v, chunks=(2, 2), fletcher32=True, shuffle=True,
                                                 compression="gzip"))
    keras_loads("h5_fletcher_ok.h5")
    h5_override("h5_fletcher_bad.h5", KERNEL,
                lambda g, n, v: g.create_dataset(n, data=v, chunks=v.shape, fletcher32=True))
    with h5py.File(path("h5_fletcher_bad.h5"), "r") as f:
        offset = f[KERNEL].id.get_chunk_info(0).byte_offset
    flip(path("h5_fletcher_bad.h5"), offset + 2)
    # a chunk stored raw in a deflated dataset, its filter-mask bit set (HDF5 does this when an optional filter
    # fails on a chunk)
    def skipped(g, n, v):
        ds = g.create_dataset(n, shape=v.shape, dtype="<f4", chunks=v.shape, compression="gzip")
        ds.id.write_direct_chunk((0,), v.astype("<f4").tobytes(), filter_mask=1)
    h5_override("h5_deflate_skipped.h5", BIAS, skipped)
    with h5py.File(path("h5_deflate_skipped.h5"), "r") as f:
        assert f[BIAS].id.get_chunk_info(0).filter_mask == 1, "deflate was not skipped"
    keras_loads("h5_deflate_skipped.h5")
    h5_override("h5_lzf.h5", KERNEL, lambda g, n, v: g.create_dataset(n, data=v, chunks=v.shape, compression="lzf"))
    # float types: converted as h5py converts them (Keras's prediction recorded), or refused
    h5_override("h5_bfloat16_kernel.h5", KERNEL, lambda g, n, v: custom_float(g, n, v, 15, 7, 8, 0, 7, 127, 2))
    keras_loads("h5_bfloat16_kernel.h5")
    h5_override("h5_float32_bias100.h5", KERNEL, lambda g, n, v: custom_float(g, n, v, 31, 23, 8, 0, 23, 100, 4))
    keras_loads("h5_float32_bias100.h5")
    h5_override("h5_float24.h5", KERNEL, lambda g, n, v: custom_float(g, n, v, 23, 16, 7, 0, 16, 63, 3))
    keras_loads("h5_float24.h5")
    h5_override("h5_float16.h5", KERNEL, lambda g, n, v: g.create_dataset(n, data=v.astype("<f2")))
    keras_loads("h5_float16.h5")
    h5_override("h5_float64_big_endian.h5", KERNEL, lambda g, n, v: g.create_dataset(n, data=v.astype(">f8")))
    keras_loads("h5_float64_big_endian.h5")
    h5_override("h5_float_msbset.h5", KERNEL,
                lambda g, n, v: custom_float(g, n, v, 31, 23, 8, 0, 23, 127, 4, norm=h5py.h5t.NORM_MSBSET))
    h5_override("h5_int32_kernel.h5", KERNEL, lambda g, n, v: g.create_dataset(n, data=(v * 10).astype("<i4")))
    h5_override("h5_string_bias.h5", BIAS, lambda g, n, v: g.create_dataset(n, data=np.array([b"0.1", b"0.2"])))
    # values Keras propagates
    h5_override("h5_nan_weight.h5", KERNEL, lambda g, n, v: g.create_dataset(n, data=with_value(v, np.nan)))
    keras_loads("h5_nan_weight.h5")
    h5_override("h5_inf_weight.h5", BIAS, lambda g, n, v: g.create_dataset(n, data=with_value(v, np.inf)))
    keras_loads("h5_inf_weight.h5")
    # weights that do not fit the config
    h5_override("h5_transposed_kernel.h5", KERNEL, lambda g, n, v: g.create_dataset(n, data=v.T.copy()))
    h5_override("h5_scalar_bias.h5", BIAS, lambda g, n, v: g.create_dataset(n, data=np.float32(0.5)))
    # duplicates
    h5_config("h5_duplicate_layer_names.h5", "_three.h5",
              lambda c: seq_layers(c)[2]["config"].__setitem__("name", "dense"))
    copy_h5(path("base_seq.h5"), path("h5_duplicate_layer_names_attr.h5"))
    with h5py.File(path("h5_duplicate_layer_names_attr.h5"), "r+") as f:
        f["model_weights"].attrs["layer_names"] = np.array([b"dense", b"dense"], dtype=object)
    # damaged files
    with open(path("base_seq.h5"), "rb") as f:
        data = f.read()
    with open(path("h5_truncated.h5"), "wb") as f:
        f.write(data[: len(data) // 3])
    with open(path("h5_wrong_magic.h5"), "wb") as f:
        f.write(b"\x89HDX" + data[4:])
    with open(path("h5_superblock_flipped.h5"), "wb") as f:
        f.write(data[:13] + bytes([data[13] ^ 0x0c]) + data[14:])  # size of offsets 8 -> 4


def with_value(v, x):
    v = v.copy()
    v.flat[1] = x
    return v


def flip(file, offset):
    with open(file, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x10]))


def set_inbound(layer, refs):
    """Keras 3 inbound node form: one call on the given [layer, node, tensor] triples."""
    layer["inbound_nodes"] = [{"args": [{"class_name": "__keras_tensor__", "config": {
        "shape": [None, 2], "dtype": "float32", "keras_history": r}} for r in refs], "kwargs": {}}]


def graph_and_object_cases():
    fn = path("base_fn.keras")
    keras_with_config(path("keras_cycle.keras"), fn, lambda c: set_inbound(fn_layer(c, "a"), [["b", 0, 0]]))
    keras_with_config(path("keras_self_loop.keras"), fn, lambda c: set_inbound(fn_layer(c, "b"), [["b", 0, 0]]))
    keras_with_config(path("keras_dangling_layer.keras"), fn,
                      lambda c: set_inbound(fn_layer(c, "b"), [["ghost", 0, 0]]))
    keras_with_config(path("keras_dangling_node.keras"), fn, lambda c: set_inbound(fn_layer(c, "b"), [["a", 3, 0]]))

    def dup(c):
        b = c["config"]["layers"][2]
        b["config"]["name"] = "a"
        b["name"] = "a"
    keras_with_config(path("keras_duplicate_names.keras"), fn, dup)
    keras_with_config(path("keras_bad_output.keras"), fn,
                      lambda c: c["config"].__setitem__("output_layers", [["b", 5, 0]]))
    seq = path("base_seq.keras")

    def layer(c, i):
        return c["config"]["layers"][i]
    keras_with_config(path("keras_custom_module.keras"), seq,
                      lambda c: layer(c, 1).update(module="my_package.layers", registered_name="MyPackage>Dense"))
    keras_with_config(path("keras_registered_name.keras"), seq,
                      lambda c: layer(c, 1).update(registered_name="MyPackage>Dense"))
    keras_with_config(path("keras_custom_activation.keras"), seq,
                      lambda c: layer(c, 1)["config"].__setitem__("activation", {
                          "module": "my_package.activations", "class_name": "function", "config": "tanh",
                          "registered_name": "my_package>tanh"}))
    keras_with_config(path("keras_custom_initializer.keras"), seq,
                      lambda c: layer(c, 1)["config"]["kernel_initializer"].update(
                          module="evil", registered_name="evil>GlorotUniform"))
    keras_with_config(path("keras_lambda_activation.keras"), seq,
                      lambda c: layer(c, 1)["config"].__setitem__("activation", {
                          "class_name": "__lambda__", "config": {"value": ["4wEAAAAAAAAA", None, None]}}))
    keras_with_config(path("keras_tfoplambda.keras"), seq,
                      lambda c: layer(c, 2).update(class_name="TFOpLambda"))
    h5_config("h5_keras2_registered_class.h5", "base_seq.h5",
              lambda c: seq_layers(c)[1].update(class_name="MyPackage>Dense"))
    h5_config("h5_nested_model.h5", "base_seq.h5", lambda c: seq_layers(c)[2].update(class_name="Sequential"))


def json_cases():
    src = "base_seq.json"

    def dense(c):
        return seq_layers(c)[1]["config"]
    json_with("json_units_negative.json", src, lambda c: dense(c).__setitem__("units", -3))
    json_with("json_units_zero.json", src, lambda c: dense(c).__setitem__("units", 0))
    json_with("json_units_fraction.json", src, lambda c: dense(c).__setitem__("units", 2.5))
    json_with("json_units_string.json", src, lambda c: dense(c).__setitem__("units", "2"))
    json_with("json_units_huge.json", src, lambda c: dense(c).__setitem__("units", 4_000_000_000))
    json_with("json_units_nan.json", src, lambda c: dense(c).__setitem__("units", float("nan")))
    json_with("json_units_mismatch.json", src, lambda c: dense(c).__setitem__("units", 3))
    shape = lambda c, s: seq_layers(c)[0]["config"].__setitem__("batch_shape", s)  # noqa: E731
    json_with("json_dim_overflow.json", src, lambda c: shape(c, [None, 3_000_000_000]))
    json_with("json_dim_negative.json", src, lambda c: shape(c, [None, -3]))
    json_with("json_dim_huge.json", src, lambda c: shape(c, [None, 100_000_000]))
    json_with("json_rank_too_high.json", src, lambda c: shape(c, [None] + [2] * 9))
    json_with("json_dtype_int.json", src, lambda c: dense(c).__setitem__("dtype", "int32"))
    json_with("json_unknown_class.json", src, lambda c: seq_layers(c)[1].__setitem__("class_name", "Dense2"))
    json_with("json_not_a_model.json", src, lambda c: c.__setitem__("class_name", "Dense"))
    json_with("json_layers_not_list.json", src, lambda c: c["config"].__setitem__("layers", {"a": 1}))
    json_with("json_no_layers.json", src, lambda c: c["config"].__setitem__("layers", []))
    nest = {}
    for _ in range(300):
        nest = {"n": nest}
    json_with("json_deep_nesting.json", src, lambda c: dense(c).__setitem__("extra", nest))
    with open(path(src)) as f:
        text = f.read()
    with open(path("json_long_number.json"), "w") as f:
        f.write(text.replace('"units": 2,', '"units": 2' + "0" * 1500 + ","))
    with open(path("json_truncated.json"), "w") as f:
        f.write(text[: len(text) // 2])
    with open(path("json_top_level_array.json"), "w") as f:
        f.write("[" + text + "]")


def patch_sizes(data, entry, usize=None, crc=None, flags=None):
    """Rewrites an entry's uncompressed size / CRC / flags in both its local header and the central directory."""
    b = bytearray(data)
    name = entry.encode()
    for sig, size_at, crc_at, flags_at, name_at in ((b"PK\x03\x04", 22, 14, 6, 30), (b"PK\x01\x02", 24, 16, 8, 46)):
        i = b.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", b, i + (26 if sig == b"PK\x03\x04" else 28))[0]
            if bytes(b[i + name_at: i + name_at + n]) == name:
                if usize is not None:
                    struct.pack_into("<I", b, i + size_at, usize)
                if crc is not None:
                    struct.pack_into("<I", b, i + crc_at, crc)
                if flags is not None:
                    struct.pack_into("<H", b, i + flags_at, flags)
            i = b.find(sig, i + 4)
    return bytes(b)


def zip_cases():
    entries = zip_entries(path("base_seq.keras"))
    d = dict(entries)
    write_zip(path("zip_duplicate_entry.keras"), entries + [("config.json", b"{}")])
    write_zip(path("zip_dotdot_entry.keras"), entries + [("../../evil.txt", b"x")])
    write_zip(path("zip_absolute_entry.keras"), entries + [("/etc/evil.txt", b"x")])
    with zipfile.ZipFile(path("zip_symlink_entry.keras"), "w") as z:
        for n, data in entries:
            if n == "model.weights.h5":
                info = zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0))
                info.create_system = 3
                info.external_attr = (0o120777 << 16)
                z.writestr(info, b"/etc/passwd")
            else:
                z.writestr(zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0)), data)
    write_zip(path("zip_missing_config.keras"), [(n, x) for n, x in entries if n != "config.json"])
    write_zip(path("zip_missing_weights.keras"), [(n, x) for n, x in entries if n != "model.weights.h5"])
    write_zip(path("zip_config_not_json.keras"), [(n, b"{'python': True}" if n == "config.json" else x)
                                                  for n, x in entries])
    write_zip(path("zip_weights_not_h5.keras"), [(n, b"not hdf5" * 10 if n == "model.weights.h5" else x)
                                                 for n, x in entries])
    # a deeply nested config.json compressed about 1000:1, and a small deep one
    bomb = b'{"class_name": "Sequential", "config": ' + b"[" * 35_000_000 + b"]" * 35_000_000 + b"}"
    write_zip(path("zip_config_bomb.keras"), [(n, bomb if n == "config.json" else x) for n, x in entries],
              zipfile.ZIP_DEFLATED)
    deep = b'{"class_name": "Sequential", "config": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    write_zip(path("zip_config_deep.keras"), [(n, deep if n == "config.json" else x) for n, x in entries])
    # a weights entry declaring ~1.9 GB inside a small zip
    buf = io.BytesIO()
    write_zip(buf, entries, zipfile.ZIP_DEFLATED)
    with open(path("zip_weights_declared_huge.keras"), "wb") as f:
        f.write(patch_sizes(buf.getvalue(), "model.weights.h5", usize=1_900_000_000))
    with open(path("base_seq.keras"), "rb") as f:
        raw = f.read()
    with open(path("zip_crc_mismatch.keras"), "wb") as f:
        f.write(patch_sizes(raw, "config.json", crc=0x12345678))
    with open(path("zip_encrypted.keras"), "wb") as f:
        f.write(patch_sizes(raw, "config.json", flags=1))
    with open(path("zip_truncated.keras"), "wb") as f:
        f.write(raw[: len(raw) * 2 // 3])
    i = raw.find(b"\x89HDF")
    with open(path("zip_weights_bitflip.keras"), "wb") as f:
        f.write(raw[: i + 1] + bytes([raw[i + 1] ^ 0x20]) + raw[i + 2:])
    # deflated weights (not what Keras writes, still a valid .keras: inflated into memory)
    write_zip(path("zip_deflated.keras"), entries, zipfile.ZIP_DEFLATED)
    EXPECTED["zip_deflated.keras"] = EXPECTED["base_seq.keras"]
    return d


def aligned_zip(dst, weights_name, weights, config):
    """A stored zip whose weights entry data starts at offset 4096 (where the HDF5 library looks)."""
    meta = b'{"keras_version": "3.15.1"}'
    for pad in range(0, 5000):
        buf = io.BytesIO()
        write_zip(buf, [("metadata.json", meta), ("config.json", config + b" " * pad), (weights_name, weights)])
        data = buf.getvalue()
        if data.find(b"\x89HDF\r\n\x1a\n") == 4096:
            with open(dst, "wb") as f:
                f.write(data)
            return
    raise RuntimeError("cannot align")


def polyglot_cases(d):
    with open(path("base_seq.h5"), "rb") as f:
        h5 = f.read()
    with open(path("base_seq.keras"), "rb") as f:
        kz = f.read()
    with open(path("polyglot_h5_plus_zip.h5"), "wb") as f:
        f.write(h5 + kz)  # HDF5 at 0, a zip directory at the end: zipfile and h5py both accept it
    assert zipfile.is_zipfile(path("polyglot_h5_plus_zip.h5"))
    with open(path("base_seq.json"), "rb") as f:
        js = f.read()
    with open(path("polyglot_json_plus_zip.json"), "wb") as f:
        f.write(js + kz)
    # weights entry aligned at 4096 that is itself a whole legacy model: h5py reads the file as that model
    aligned_zip(path("polyglot_aligned_model.keras"), "model.weights.h5", h5, d["config.json"])
    with h5py.File(path("polyglot_aligned_model.keras"), "r") as f:
        assert "model_config" in f.attrs
    # another entry aligned at 4096
    aligned_zip(path("polyglot_other_entry.keras"), "assets/model.h5", h5, d["config.json"])
    with open(path("polyglot_other_entry.keras"), "rb") as f:
        data = f.read()
    with open(path("polyglot_other_entry.keras"), "wb") as f:  # add the weights after it
        buf = io.BytesIO()
        write_zip(buf, zip_entries(io.BytesIO(data)) + [("model.weights.h5", d["model.weights.h5"])])
        f.write(buf.getvalue())
    # what Keras could write itself: its weights aligned at 4096, no model_config (legal)
    aligned_zip(path("keras_weights_aligned.keras"), "model.weights.h5", d["model.weights.h5"], d["config.json"])
    EXPECTED["keras_weights_aligned.keras"] = EXPECTED["base_seq.keras"]


ACTIVATIONS = ["linear", "relu", "relu6", "leaky_relu", "tanh", "sigmoid", "hard_sigmoid", "hard_silu", "hard_tanh",
               "elu", "selu", "celu", "softplus", "softsign", "exponential", "silu", "gelu", "mish", "log_sigmoid",
               "tanh_shrink", "squareplus", "sparse_plus", "softmax", "log_softmax"]


def expect_many(name, model, x):
    ys = model.predict(x, verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    EXPECTED[name] = {"input": np.asarray(x).tolist(),
                      "outputs": [np.asarray(y, np.float32).reshape(-1).tolist() for y in ys]}
    for o in EXPECTED[name]["outputs"]:
        o[:] = [repr_float(v) for v in o]


def special_values():
    """NaN and infinities through every activation and every recurrent layer, as Keras computes them."""
    x = keras.Input((8,), name="x")
    outs = [keras.layers.Activation(a, name="act_" + a)(x) for a in ACTIVATIONS]
    acts = keras.Model(x, outs, name="acts")
    acts.save(path("special_activations.keras"))
    xa = np.array([[np.nan, np.inf, -np.inf, 0.0, -0.0, -1.0, 1.0, 30.0],
                   [-30.0, 1e-3, -1e-3, 5.0, -5.0, 100.0, -100.0, 0.5],
                   [np.nan, np.nan, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], np.float32)
    expect_many("special_activations.keras", keras.saving.load_model(path("special_activations.keras")), xa)
    keras.utils.set_random_seed(5)
    s = keras.Input((3, 2), name="s")
    rec = [keras.layers.LSTM(7, name="lstm")(s),
           keras.layers.LSTM(5, return_sequences=True, name="lstm_seq")(s),
           keras.layers.GRU(5, name="gru")(s),
           keras.layers.GRU(3, reset_after=False, name="gru_before")(s),
           keras.layers.SimpleRNN(3, name="rnn")(s),
           keras.layers.Bidirectional(keras.layers.LSTM(3), name="bi")(s),
           keras.layers.TimeDistributed(keras.layers.Dense(5, activation="relu"), name="td")(s)]
    recm = keras.Model(s, rec, name="rec")
    recm.save(path("special_recurrent.keras"))
    xs = np.zeros((5, 3, 2), np.float32) + 0.25
    xs[1, 1, 0] = np.inf
    xs[2, 0, 1] = -np.inf
    xs[3, 2, 0] = np.nan
    xs[4, 0, 0] = 1e30
    expect_many("special_recurrent.keras", keras.saving.load_model(path("special_recurrent.keras")), xs)


def verify_cases():
    """Files carrying verification cases (test-fixtures/add_verify_cases.py), one of them with damaged weights."""
    sys.path.insert(0, os.path.join(OUT, *[".."] * 8, "test-fixtures"))
    import add_verify_cases as avc
    rng = np.random.default_rng(3)
    avc.add_cases(path("base_seq.keras"), [[rng.standard_normal((2, 3)).astype(np.float32)] for _ in range(2)],
                  out=path("verify_ok.keras"))
    keras_with_weights(path("verify_tampered.keras"), path("verify_ok.keras"),
                       lambda f: f["/layers/dense/vars/0"].__setitem__((0, 0), f["/layers/dense/vars/0"][0, 0] + 0.01))
    xs = np.zeros((2, 3, 2), np.float32) + rng.standard_normal((2, 3, 2)).astype(np.float32)
    avc.add_cases(path("special_recurrent.keras"), [[xs]], out=path("verify_multi_output.keras"))
    cli = os.path.join(OUT, *[".."] * 8, "cli", "src", "test", "resources", "org", "jkeras", "cli", "verify")
    os.makedirs(cli, exist_ok=True)
    for f in ("verify_ok.keras", "verify_tampered.keras"):  # the CLI's InspectVerifyTest reads copies
        with open(path(f), "rb") as src, open(os.path.join(cli, f), "wb") as dst:
            dst.write(src.read())
    entries = zip_entries(path("verify_ok.keras"))
    write_zip(path("verify_bad_cases.keras"), [(n, d.replace(b"case1/out0", b"case1/nothing")
                                                 if n.endswith("cases.json") else d) for n, d in entries])


def main():
    clean()
    special_values()
    bases()
    custom_layer()
    hdf5_cases()
    graph_and_object_cases()
    json_cases()
    polyglot_cases(zip_cases())
    verify_cases()
    for f in ("_three.h5",):
        os.remove(path(f))
    with open(path("expected.json"), "w") as f:
        json.dump(EXPECTED, f, indent=1, sort_keys=True)
    total = sum(os.path.getsize(path(f)) for f in os.listdir(OUT))
    print(f"{len(os.listdir(OUT))} files, {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
