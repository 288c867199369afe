package org.jkeras.keras.format;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;

/**
 * Weights in the legacy HDF5 layout (Keras 1/2, tf.keras, Keras 3 {@code model.save("x.h5")}):
 * the weights group ({@code model_weights} in a full model file, the root in a
 * {@code save_weights} file) lists layers in its {@code layer_names} attribute; each layer's
 * group lists its arrays, in order, in {@code weight_names}, whose entries are paths inside
 * that group. Arrays are found only through these attributes, never by guessed names, and
 * through {@link Hdf5Tree}, so links never lead outside the file. A name listed twice in
 * {@code layer_names} (or {@code weight_names}) is refused: which group holds whose weights would be ambiguous.
 */
final class LegacyWeightSource implements WeightSource {
    private final Hdf5Tree tree;
    private final Group root;
    private final String label;
    private final String fileName;
    private final List<String> layerNames;

    /**
     * @param label how to name the weights group in errors, e.g. {@code "model.h5: /model_weights"}
     */
    LegacyWeightSource(Hdf5Tree tree, Group root, String label, String fileName) {
        this.tree = tree;
        this.root = root;
        this.label = label;
        this.fileName = fileName;
        List<String> names = Hdf5.stringsAttribute(root, "layer_names", label, tree.limits());
        if (names == null) {
            throw new KerasImportException(label + ": no 'layer_names' attribute, so this is not a Keras weights group");
        }
        requireDistinct(names, label, "layer_names");
        this.layerNames = names;
    }

    private static void requireDistinct(List<String> names, String where, String attribute) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new KerasImportException(where + ": attribute '" + attribute + "' lists '" + Echo.of(n)
                        + "' twice; Keras refuses such a file, and which weights belong to which layer would be"
                        + " ambiguous");
            }
        }
    }

    @Override
    public LayerWeights forLayer(String layerName, String keras3Path) {
        String where = label + "/" + Echo.of(layerName);
        if (!layerNames.contains(layerName)) {
            return new LayerWeights(label + " (no layer '" + Echo.of(layerName) + "' in its layer_names "
                    + Echo.of(layerNames) + ")", List.of());
        }
        Node node = tree.path(root, layerName, where);
        if (!(node instanceof Group group)) {
            throw new KerasImportException(where + ": listed in layer_names but there is no such group");
        }
        List<String> weightNames = Hdf5.stringsAttribute(group, "weight_names", where, tree.limits());
        if (weightNames == null) {
            throw new KerasImportException(where + ": no 'weight_names' attribute");
        }
        requireDistinct(weightNames, where, "weight_names");
        List<WeightArray> arrays = new ArrayList<>(weightNames.size());
        for (String wn : weightNames) {
            String at = where + "/" + Echo.of(wn);
            Node w = tree.path(group, wn, at);
            if (w == null) {
                throw new KerasImportException(at + ": missing from the file (listed in weight_names)");
            }
            if (!(w instanceof Dataset ds)) {
                throw new KerasImportException(where + ": weight '" + Echo.of(wn) + "' listed in weight_names is not"
                        + " a dataset");
            }
            arrays.add(new WeightArray(wn, at, ds, tree));
        }
        return new LayerWeights(where, arrays);
    }

    @Override
    public String fileName() {
        return fileName;
    }

    @Override
    public boolean isKeras3Layout() {
        return false;
    }
}
