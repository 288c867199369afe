package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.format.LayerWeights;
import org.jkeras.keras.format.WeightArray;
import org.jkeras.keras.format.WeightSource;

/**
 * The weights of the layers of a nested model (a Sequential or Functional used as a layer), as each format nests
 * them. Keras 3 ({@code .keras}, {@code .weights.h5}): under the nested model's path,
 * {@code layers/<model path>/layers/<inner path>/...}. Legacy HDF5: the nested model's group lists every inner
 * weight in its {@code weight_names}, named {@code <inner layer>/...} (tf.keras 2, Keras 3 Functional) or
 * {@code <model>/<inner layer>/...} (Keras 3 Sequential); a layer's arrays are those under its name, after any
 * leading names of the enclosing nested models. An array two inner layers would both claim (the same name at two
 * depths) is refused rather than guessed.
 */
final class NestedWeights implements WeightSource {
    private final WeightSource parent;
    private final String modelName;   // the nested model's name in its parent
    private final String modelPath;   // its Keras 3 path in its parent, e.g. layers/sequential
    private final String namePrefix;  // runtime names of its layers start with this, e.g. inner_seq/
    private final List<String> chain; // names of the enclosing nested models, outermost first
    private final Map<WeightArray, String> claimed; // legacy: array -> the layer that took it (shared per top group)

    private NestedWeights(WeightSource parent, String modelName, String modelPath, String namePrefix,
                          List<String> chain, Map<WeightArray, String> claimed) {
        this.parent = parent;
        this.modelName = modelName;
        this.modelPath = modelPath;
        this.namePrefix = namePrefix;
        this.chain = chain;
        this.claimed = claimed;
    }

    /**
     * The view of a nested model's weights.
     *
     * @param parent     the enclosing model's weights
     * @param modelName  the nested model's layer name in its parent (its runtime-name form, with any prefix)
     * @param modelPath  its Keras 3 path in its parent
     * @param namePrefix the prefix of its layers' runtime names
     */
    static NestedWeights of(WeightSource parent, String modelName, String modelPath, String namePrefix) {
        List<String> chain = new ArrayList<>();
        if (parent instanceof NestedWeights n) {
            chain.addAll(n.chain);
        }
        chain.add(simpleName(modelName));
        Map<WeightArray, String> claimed = parent instanceof NestedWeights n ? n.claimed : new IdentityHashMap<>();
        return new NestedWeights(parent, modelName, modelPath, namePrefix, List.copyOf(chain), claimed);
    }

    private static String simpleName(String runtimeName) {
        int slash = runtimeName.lastIndexOf('/');
        return slash < 0 ? runtimeName : runtimeName.substring(slash + 1);
    }

    @Override
    public LayerWeights forLayer(String layerName, String keras3Path) {
        String inner = layerName.startsWith(namePrefix) ? layerName.substring(namePrefix.length()) : layerName;
        if (parent.isKeras3Layout()) {
            // Keras 3 names a vars group by the layer's own name, without the enclosing models'
            return parent.forLayer(inner, modelPath + "/" + keras3Path);
        }
        LayerWeights all = top().forLayer(chain.get(0), topPath());
        List<WeightArray> mine = new ArrayList<>();
        for (WeightArray a : all.arrays()) {
            String[] seg = a.name().split("/");
            int i = 0;
            while (i < seg.length - 1 && chain.contains(seg[i]) && !seg[i].equals(inner)) {
                i++;
            }
            if (i < seg.length - 1 && seg[i].equals(inner)) {
                String other = claimed.putIfAbsent(a, layerName);
                if (other != null && !other.equals(layerName)) {
                    throw new KerasImportException(all.location() + ": weight '" + a.name() + "' could belong to"
                            + " layer '" + other + "' or '" + layerName + "' of the nested models; their weights"
                            + " cannot be told apart");
                }
                mine.add(a);
            }
        }
        return new LayerWeights(all.location() + " (layer '" + inner + "' of nested model '" + modelName + "')",
                mine);
    }

    /** The outermost store (the file's own). */
    private WeightSource top() {
        WeightSource s = parent;
        while (s instanceof NestedWeights n) {
            s = n.parent;
        }
        return s;
    }

    private String topPath() {
        NestedWeights n = this;
        while (n.parent instanceof NestedWeights p) {
            n = p;
        }
        return n.modelPath;
    }

    @Override
    public String fileName() {
        return parent.fileName();
    }

    @Override
    public boolean isKeras3Layout() {
        return parent.isKeras3Layout();
    }
}
