package org.jkeras.keras.format;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jkeras.keras.KerasImportException;

/**
 * Weights in the Keras 3 layout ({@code model.weights.h5} inside a {@code .keras} zip, or a
 * {@code .weights.h5} file): a layer's arrays are datasets {@code vars/0}, {@code vars/1}, ...
 * under its path ({@code layers/lstm_1}), and those of its sub-objects under sub-groups (an
 * LSTM's under {@code cell/vars}, a TimeDistributed's inner layer under {@code layer/vars}).
 * Recent Keras writes the layer's name as attribute {@code name} of its {@code vars} group;
 * when present it is checked against the config, to catch a path computed wrongly.
 */
final class Keras3WeightSource implements WeightSource {
    private final Group root;
    private final String fileName;

    Keras3WeightSource(Group root, String fileName) {
        this(root, fileName, false);
    }

    /**
     * A Keras 3 weights file; with {@code empty}, one without any group, which is what jkeras writes for a model
     * without weights (Keras writes only attribute-only groups there, which jhdf's writer leaves out).
     */
    Keras3WeightSource(Group root, String fileName, boolean empty) {
        this.root = root;
        this.fileName = fileName;
        if (!empty && !(root.getChildren().get("layers") instanceof Group)) {
            throw new KerasImportException(fileName + ": no 'layers' group, so this is not a Keras 3 weights file");
        }
    }

    @Override
    public LayerWeights forLayer(String layerName, String keras3Path) {
        String where = fileName + ": /" + keras3Path;
        Node node;
        try {
            node = root.getByPath(keras3Path);
        } catch (RuntimeException e) {
            return new LayerWeights(where + " (no such group)", List.of());
        }
        if (!(node instanceof Group group)) {
            throw new KerasImportException(where + ": expected a group for layer '" + layerName + "'");
        }
        if (group.getChildren().get("vars") instanceof Group vars) {
            String stored = Hdf5.stringAttribute(vars, "name", where + "/vars");
            if (stored != null && !stored.equals(layerName)) {
                throw new KerasImportException(where + ": holds the weights of layer '" + stored
                        + "', but the config puts layer '" + layerName + "' there");
            }
        }
        List<WeightArray> arrays = new ArrayList<>();
        collect(group, where, arrays, 0);
        return new LayerWeights(where, arrays);
    }

    /** vars/0..n-1 of this group first, then sub-objects' groups in name order (depth-limited). */
    private static void collect(Group group, String where, List<WeightArray> out, int depth) {
        if (depth > 8) {
            throw new KerasImportException(where + ": weights nested too deeply");
        }
        Map<String, Node> children = group.getChildren();
        if (children.get("vars") instanceof Group vars) {
            Map<String, Node> varChildren = vars.getChildren();
            for (int i = 0; i < varChildren.size(); i++) {
                Node v = varChildren.get(Integer.toString(i));
                if (!(v instanceof Dataset ds)) {
                    throw new KerasImportException(where + "/vars: expected datasets 0.." + (varChildren.size() - 1)
                            + ", found " + varChildren.keySet());
                }
                out.add(new WeightArray("vars/" + i, where + "/vars/" + i, ds));
            }
        }
        for (Map.Entry<String, Node> e : new TreeMap<>(children).entrySet()) {
            if (!e.getKey().equals("vars") && e.getValue() instanceof Group sub) {
                collect(sub, where + "/" + e.getKey(), out, depth + 1);
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
