package org.jkeras.keras.format;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;

/**
 * Weights in the legacy HDF5 layout (Keras 1/2, tf.keras, Keras 3 {@code model.save("x.h5")}):
 * the weights group ({@code model_weights} in a full model file, the root in a
 * {@code save_weights} file) lists layers in its {@code layer_names} attribute; each layer's
 * group lists its arrays, in order, in {@code weight_names}, whose entries are paths inside
 * that group. Arrays are found only through these attributes, never by guessed names.
 */
final class LegacyWeightSource implements WeightSource {
    private final Group root;
    private final String label;
    private final String fileName;
    private final List<String> layerNames;

    /**
     * @param label how to name the weights group in errors, e.g. {@code "model.h5: /model_weights"}
     */
    LegacyWeightSource(Group root, String label, String fileName) {
        this.root = root;
        this.label = label;
        this.fileName = fileName;
        List<String> names = Hdf5.stringsAttribute(root, "layer_names", label);
        if (names == null) {
            throw new KerasImportException(label + ": no 'layer_names' attribute, so this is not a Keras weights group");
        }
        this.layerNames = names;
    }

    @Override
    public LayerWeights forLayer(String layerName, String keras3Path) {
        String where = label + "/" + layerName;
        if (!layerNames.contains(layerName)) {
            return new LayerWeights(label + " (no layer '" + layerName + "' in its layer_names " + layerNames + ")",
                    List.of());
        }
        Node node = child(root, layerName, where);
        if (!(node instanceof Group group)) {
            throw new KerasImportException(where + ": listed in layer_names but there is no such group");
        }
        List<String> weightNames = Hdf5.stringsAttribute(group, "weight_names", where);
        if (weightNames == null) {
            throw new KerasImportException(where + ": no 'weight_names' attribute");
        }
        List<WeightArray> arrays = new ArrayList<>(weightNames.size());
        for (String wn : weightNames) {
            Node w = child(group, wn, where + "/" + wn);
            if (!(w instanceof Dataset ds)) {
                throw new KerasImportException(where + ": weight '" + wn + "' listed in weight_names is not a dataset");
            }
            arrays.add(new WeightArray(wn, where + "/" + wn, ds));
        }
        return new LayerWeights(where, arrays);
    }

    private static Node child(Group group, String path, String where) {
        try {
            return group.getByPath(path);
        } catch (RuntimeException e) {
            throw new KerasImportException(where + ": missing from the file (" + e.getMessage() + ")", e);
        }
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
