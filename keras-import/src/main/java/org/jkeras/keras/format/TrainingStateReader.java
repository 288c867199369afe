package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.save.OptimizerVariable;
import org.jkeras.keras.save.TrainingState;
import tools.jackson.databind.JsonNode;

/**
 * Reads the training state Keras saved with a model: the {@code compile_config} of a {@code .keras} file's
 * {@code config.json} and the optimizer's variables, datasets {@code optimizer/vars/0..n-1} of its weights
 * (or of a {@code .weights.h5} file, which has no compile config). Keras stores the variables by position
 * only; they are labelled {@code optimizer/vars/<i>}. Sizes are bounded as for weights.
 */
public final class TrainingStateReader {
    /** Most optimizer variables accepted (a file is untrusted). */
    static final int MAX_VARIABLES = 1_000_000;

    private TrainingStateReader() {
    }

    /**
     * The training state of a {@code .keras} or {@code .weights.h5} file; empty (no compile config, no
     * variables) for a file saved without one.
     */
    public static TrainingState read(Path path) {
        String name = String.valueOf(path.getFileName());
        FileFormat format = FormatDetector.detect(path);
        if (format == FileFormat.KERAS_ZIP) {
            JsonNode compile;
            byte[] weights;
            try {
                KerasZipEntries entries = KerasZipEntries.read(path, true, name);
                if (entries.config == null || entries.weights == null) {
                    throw new KerasImportException(name + ": the .keras zip lacks config.json or model.weights.h5");
                }
                JsonNode config = Json.parse(new String(entries.config, StandardCharsets.UTF_8), name + ": config.json");
                compile = config.get("compile_config");
                weights = entries.weights;
            } catch (ZipException e) {
                throw new KerasImportException(name + ": not a readable .keras zip: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
            }
            if (compile != null && (!compile.isObject() || compile.isEmpty())) {
                compile = null;
            }
            try (HdfFile h5 = Hdf5.open(weights, name + ": model.weights.h5")) {
                return new TrainingState(compile, variables(h5, name + ": model.weights.h5"));
            }
        }
        if (format != FileFormat.LEGACY_H5) {
            throw new KerasImportException(name + ": training state is read from a .keras or .weights.h5 file, this"
                    + " is " + format.id());
        }
        try (HdfFile h5 = Hdf5.open(path)) {
            return new TrainingState(null, variables(h5, name));
        }
    }

    private static List<OptimizerVariable> variables(HdfFile h5, String what) {
        List<OptimizerVariable> out = new ArrayList<>();
        Node opt;
        try {
            opt = h5.getChildren().get("optimizer");
        } catch (RuntimeException e) {
            throw new KerasImportException(what + ": cannot read the HDF5 structure: " + e.getMessage(), e);
        }
        if (!(opt instanceof Group og) || !(og.getChildren().get("vars") instanceof Group vars)) {
            return out;
        }
        Map<String, Node> children = vars.getChildren();
        if (children.size() > MAX_VARIABLES) {
            throw new KerasImportException(what + ": /optimizer/vars holds " + children.size() + " variables, more"
                    + " than the " + MAX_VARIABLES + " accepted");
        }
        for (int i = 0; i < children.size(); i++) {
            String where = what + ": /optimizer/vars/" + i;
            if (!(children.get(Integer.toString(i)) instanceof Dataset ds)) {
                throw new KerasImportException(what + ": /optimizer/vars: expected datasets 0.." + (children.size() - 1)
                        + ", found " + children.keySet());
            }
            out.add(variable(ds, "optimizer/vars/" + i, where));
        }
        return out;
    }

    private static OptimizerVariable variable(Dataset ds, String label, String where) {
        int[] shape;
        Object data;
        try {
            shape = ds.isScalar() ? new int[0] : ds.getDimensions();
            long n = 1;
            for (int d : shape) {
                n *= d;
                if (n > WeightArray.MAX_ELEMENTS) {
                    throw new KerasImportException(where + ": variable of shape " + java.util.Arrays.toString(shape)
                            + " is too large");
                }
            }
            data = ds.isScalar() ? ds.getData() : ds.getDataFlat();
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(where + ": cannot read the variable (truncated or corrupt file?): "
                    + e.getMessage(), e);
        }
        if (data instanceof Float f) {
            return OptimizerVariable.float32(label, new float[] {f}, shape);
        }
        if (data instanceof Long l) {
            return OptimizerVariable.int64(label, new long[] {l}, shape);
        }
        if (data instanceof float[] f) {
            return OptimizerVariable.float32(label, f, shape);
        }
        if (data instanceof long[] l) {
            return OptimizerVariable.int64(label, l, shape);
        }
        throw new KerasImportException(where + ": variable has element type "
                + (data == null ? "none" : data.getClass().getSimpleName()) + ", expected float32 or int64");
    }
}
