package org.jkeras.keras.format;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;

/**
 * Weights in the Keras 3 layout ({@code model.weights.h5} inside a {@code .keras} zip, or a
 * {@code .weights.h5} file): a layer's arrays are datasets {@code vars/0}, {@code vars/1}, ...
 * under its path ({@code layers/lstm_1}), and those of its sub-objects under sub-groups (an
 * LSTM's under {@code cell/vars}, a TimeDistributed's inner layer under {@code layer/vars}).
 * Recent Keras writes the layer's name as attribute {@code name} of its {@code vars} group;
 * when present it is checked against the config, to catch a path computed wrongly. Groups are walked
 * through {@link Hdf5Tree}, so links never lead outside the file.
 */
final class Keras3WeightSource implements WeightSource {
    private final Hdf5Tree tree;
    private final String fileName;

    Keras3WeightSource(Hdf5Tree tree, String fileName) {
        this(tree, fileName, false);
    }

    /**
     * A Keras 3 weights file; with {@code empty}, one without any group, which is what jkeras writes for a model
     * without weights (Keras writes only attribute-only groups there, which jhdf's writer leaves out).
     */
    Keras3WeightSource(Hdf5Tree tree, String fileName, boolean empty) {
        this.tree = tree;
        this.fileName = fileName;
        if (!empty && tree.childGroup(tree.file(), "layers", fileName) == null) {
            throw new KerasImportException(fileName + ": no 'layers' group, so this is not a Keras 3 weights file");
        }
    }

    @Override
    public LayerWeights forLayer(String layerName, String keras3Path) {
        String where = fileName + ": /" + Echo.of(keras3Path);
        Node node = tree.path(tree.file(), keras3Path, where);
        if (node == null) {
            return new LayerWeights(where + " (no such group)", List.of());
        }
        if (!(node instanceof Group group)) {
            throw new KerasImportException(where + ": expected a group for layer '" + Echo.of(layerName) + "'");
        }
        if (tree.child(group, "vars", where) instanceof Group vars) {
            String stored = Hdf5.stringAttribute(vars, "name", where + "/vars", tree.limits());
            if (stored != null && !stored.equals(layerName)) {
                throw new KerasImportException(where + ": holds the weights of layer '" + Echo.of(stored)
                        + "', but the config puts layer '" + Echo.of(layerName) + "' there");
            }
        }
        List<WeightArray> arrays = new ArrayList<>();
        collect(group, where, arrays, 0);
        return new LayerWeights(where, arrays);
    }

    /** vars/0..n-1 of this group first, then sub-objects' groups in name order (depth-limited). */
    private void collect(Group group, String where, List<WeightArray> out, int depth) {
        tree.limits().check(Limit.MAX_NESTING_DEPTH, depth, where + ": weight groups nested");
        Map<String, Node> children = tree.resolvedChildren(group, where);
        if (children.get("vars") instanceof Group vars) {
            Map<String, Node> varChildren = tree.resolvedChildren(vars, where + "/vars");
            for (int i = 0; i < varChildren.size(); i++) {
                Node v = varChildren.get(Integer.toString(i));
                if (!(v instanceof Dataset ds)) {
                    throw new KerasImportException(where + "/vars: expected datasets 0.." + (varChildren.size() - 1)
                            + ", found " + Echo.of(varChildren.keySet()));
                }
                out.add(new WeightArray("vars/" + i, where + "/vars/" + i, ds, tree));
            }
        }
        for (Map.Entry<String, Node> e : new TreeMap<>(children).entrySet()) {
            if (!e.getKey().equals("vars") && e.getValue() instanceof Group sub) {
                collect(sub, where + "/" + Echo.of(e.getKey()), out, depth + 1);
            }
        }
    }

    @Override
    public String fileName() {
        return fileName;
    }

    @Override
    public boolean isKeras3Layout() {
        return true;
    }
}
