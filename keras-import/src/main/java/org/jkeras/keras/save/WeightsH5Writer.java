package org.jkeras.keras.save;

import org.jkeras.keras.convert.WeightLayout;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Layer;

/**
 * Writes a Keras 3 weights file ({@code model.weights.h5} inside a {@code .keras}, or a
 * {@code .weights.h5}) with jhdf: {@code layers/<path>/.../vars/<i>} float32 datasets, each {@code vars}
 * group named by a {@code name} attribute as Keras names it, and {@code optimizer/vars/<i>} for the
 * optimizer. Groups that would hold only attributes (Keras writes a {@code vars} group with a name for
 * every layer and for the model) are left out: jhdf can lose such groups when it flushes, and Keras reads a
 * missing group as "no variables". Every file is read back with jhdf and compared before it is accepted.
 */
final class WeightsH5Writer {
    private final String file;
    private final Map<String, WritableGroup> groups = new HashMap<>();
    /** Longest {@code name} attribute written (far below the size at which jhdf's attributes break). */
    static final int MAX_NAME_CHARS = 1024;
    private final Map<String, Object> written = new HashMap<>(); // dataset path -> values, for the read-back
    private final Map<String, String> names = new HashMap<>();   // group path -> name attribute

    private WeightsH5Writer(String file) {
        this.file = file;
    }

    /**
     * Writes the model's weights at the origin's slots, then the optimizer variables.
     *
     * @param optimizerName the optimizer's name for the {@code optimizer/vars} group's attribute
     */
    static void write(Path target, String file, Model model, KerasOrigin origin, List<OptimizerVariable> optimizer,
                      String optimizerName) {
        WeightsH5Writer w = new WeightsH5Writer(file);
        List<Planned> plan = w.plan(model, origin);
        try (WritableHdfFile h5 = HdfFile.write(target)) {
            w.groups.put("", h5);
            for (Planned p : plan) {
                WritableGroup g = w.group(p.group().path());
                w.nameAttribute(g, p.group().path(), p.group().name());
                for (int i = 0; i < p.values().size(); i++) {
                    Tensor t = p.values().get(i);
                    w.dataset(g, p.group().path() + "/" + i, nested(t.shape(), t.data()));
                }
            }
            if (!optimizer.isEmpty()) {
                WritableGroup g = w.group("optimizer/vars");
                w.nameAttribute(g, "optimizer/vars", optimizerName);
                for (int i = 0; i < optimizer.size(); i++) {
                    OptimizerVariable v = optimizer.get(i);
                    if (v.size() == 0) {
                        throw new KerasImportException(file + ": optimizer variable #" + i + " (" + v + ") is empty;"
                                + " the HDF5 writer cannot store empty arrays");
                    }
                    Object data = "int64".equals(v.dtype()) ? nested(v.shape(), v.longs()) : nested(v.shape(), v.floats());
                    w.dataset(g, "optimizer/vars/" + i, data);
                }
            }
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(file + ": the HDF5 writer failed: " + e, e);
        }
        w.verify(target);
    }

    /** One vars group with the values to store in it. */
    private record Planned(VarGroup group, List<Tensor> values) {
    }

    /** Matches the model's layers to the origin's slots; refuses any difference in names, kinds or shapes. */
    private List<Planned> plan(Model model, KerasOrigin origin) {
        Map<String, Layer> byName = new HashMap<>();
        for (Layer l : model.layers()) {
            byName.put(l.name(), l);
        }
        if (origin.layers().isEmpty() && origin.refusal() != null
                && model.layers().stream().anyMatch(l -> !l.weightSpecs().isEmpty())) {
            // the load could not derive where Keras 3 keeps the weights (e.g. a nested model): say why
            throw new KerasImportException(file + ": cannot save the weights: " + origin.refusal());
        }
        List<Planned> plan = new ArrayList<>();
        java.util.Set<String> covered = new java.util.HashSet<>();
        for (LayerSlot slot : origin.layers()) {
            Layer layer = byName.get(slot.layer());
            if (layer == null) {
                throw new KerasImportException(file + ": layer '" + slot.layer() + "' (" + slot.kind() + ") of the"
                        + " loaded model is missing from the model being saved");
            }
            if (!layer.kind().equals(slot.kind())) {
                throw new KerasImportException(file + ": layer '" + slot.layer() + "' was a " + slot.kind()
                        + " when loaded and is a " + layer.kind() + " now");
            }
            List<VarGroup> now = new ArrayList<>();
            List<List<Tensor>> values = new ArrayList<>();
            WeightLayout.groups(slot.path(), layer, file, now, values);
            if (now.size() != slot.groups().size()) {
                throw new KerasImportException(file + ": layer '" + slot.layer() + "' has " + now.size()
                        + " weight groups, expected " + slot.groups().size());
            }
            for (int g = 0; g < now.size(); g++) {
                VarGroup expected = slot.groups().get(g);
                VarGroup actual = now.get(g);
                if (!expected.weights().equals(actual.weights())) {
                    throw new KerasImportException(file + ": layer '" + slot.layer() + "' has weights "
                            + actual.weights() + " at " + expected.path() + ", expected " + expected.weights());
                }
                for (int i = 0; i < expected.weights().size(); i++) {
                    if (!Arrays.equals(expected.shape(i), actual.shape(i))) {
                        throw new KerasImportException(file + ": layer '" + slot.layer() + "' weight '"
                                + expected.weights().get(i) + "' has shape " + Shape.format(actual.shape(i))
                                + ", expected " + Shape.format(expected.shape(i)) + " as when it was loaded");
                    }
                    if (values.get(g).get(i).size() == 0) {
                        throw new KerasImportException(file + ": layer '" + slot.layer() + "' weight '"
                                + expected.weights().get(i) + "' is empty; the HDF5 writer cannot store empty arrays");
                    }
                }
                plan.add(new Planned(expected, values.get(g)));
            }
            covered.add(slot.layer());
        }
        for (Layer l : model.layers()) {
            if (!covered.contains(l.name()) && !l.weightSpecs().isEmpty()) {
                throw new KerasImportException(file + ": layer '" + l.name() + "' (" + l.kind() + ") has weights"
                        + " but was not part of the loaded model, so it has no place in the saved config");
            }
        }
        return plan;
    }

    private WritableGroup group(String path) {
        WritableGroup g = groups.get(path);
        if (g == null) {
            int slash = path.lastIndexOf('/');
            WritableGroup parent = group(slash < 0 ? "" : path.substring(0, slash));
            g = parent.putGroup(path.substring(slash + 1));
            groups.put(path, g);
        }
        return g;
    }

    /**
     * The informational {@code name} attribute (Keras never reads it back). jkeras's reader checks it; jhdf
     * writes attributes near 64 KB unreadably, so an absurdly long name is left out rather than risk that.
     */
    private void nameAttribute(WritableGroup g, String path, String name) {
        if (name.length() <= MAX_NAME_CHARS) {
            g.putAttribute("name", name);
            names.put(path, name);
        }
    }

    private void dataset(WritableGroup g, String path, Object data) {
        g.putDataset(path.substring(path.lastIndexOf('/') + 1), data);
        written.put(path, data);
    }

    /** A row-major flat array as the nested Java array jhdf writes; a boxed value for a scalar. */
    static Object nested(int[] shape, Object flat) {
        if (shape.length == 0) {
            return flat instanceof float[] f ? (Object) f[0] : (Object) ((long[]) flat)[0];
        }
        if (shape.length == 1) {
            return flat;
        }
        Class<?> element = flat instanceof float[] ? float.class : long.class;
        Object out = Array.newInstance(element, shape);
        fill(out, flat, shape, 0, new int[] {0});
        return out;
    }

    private static void fill(Object target, Object flat, int[] shape, int axis, int[] offset) {
        if (axis == shape.length - 1) {
            System.arraycopy(flat, offset[0], target, 0, shape[axis]);
            offset[0] += shape[axis];
            return;
        }
        for (int i = 0; i < shape[axis]; i++) {
            fill(Array.get(target, i), flat, shape, axis + 1, offset);
        }
    }

    /** Reads the file back with jhdf: every dataset must be there with the values written. */
    private void verify(Path target) {
        try (HdfFile h5 = new HdfFile(target)) {
            for (Map.Entry<String, Object> e : written.entrySet()) {
                Node n = h5.getByPath(e.getKey());
                if (!(n instanceof Dataset ds)) {
                    throw new KerasImportException(file + ": the written HDF5 file lacks dataset " + e.getKey());
                }
                Object back = ds.getData();
                if (!java.util.Objects.deepEquals(back, e.getValue())) {
                    throw new KerasImportException(file + ": dataset " + e.getKey() + " reads back differently from"
                            + " what was written (HDF5 writer defect)");
                }
            }
            for (Map.Entry<String, String> e : names.entrySet()) {
                Object back = h5.getByPath(e.getKey()).getAttribute("name").getData();
                if (!e.getValue().equals(back)) {
                    throw new KerasImportException(file + ": the name attribute of " + e.getKey() + " reads back as "
                            + back + ", not " + e.getValue() + " (HDF5 writer defect)");
                }
            }
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(file + ": the written HDF5 file cannot be read back (" + e + ")", e);
        }
    }
}
