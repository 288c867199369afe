package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.FixedPoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;
import org.jkeras.keras.config.Json;
import org.jkeras.keras.save.OptimizerVariable;
import org.jkeras.keras.save.TrainingState;
import tools.jackson.databind.JsonNode;

/**
 * Reads the training state Keras saved with a model: the {@code compile_config} of a {@code .keras} file's
 * {@code config.json} and the optimizer's variables, datasets {@code optimizer/vars/0..n-1} of its weights
 * (or of a {@code .weights.h5} file, which has no compile config). Keras stores the variables by position
 * only; they are labelled {@code optimizer/vars/<i>}. Sizes are bounded as for weights (the variables count
 * towards {@link Limit#MAX_HDF5_OBJECTS}, their values towards {@link Limit#MAX_TENSOR_ELEMENTS} and
 * {@link Limit#MAX_WEIGHT_BYTES}).
 */
public final class TrainingStateReader {
    private TrainingStateReader() {
    }

    /**
     * The training state of a {@code .keras} or {@code .weights.h5} file; empty (no compile config, no
     * variables) for a file saved without one.
     *
     * @param path   the {@code .keras} or {@code .weights.h5} file
     * @param limits the bounds on the variables' count and sizes
     * @return its compile config and optimizer variables
     * @throws KerasImportException when the file is malformed or over a limit
     */
    public static TrainingState read(Path path, Limits limits) {
        String name = String.valueOf(path.getFileName());
        FileFormat format = FormatDetector.detect(path, limits);
        if (format == FileFormat.KERAS_ZIP) {
            JsonNode compile;
            HdfFile weights;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ZipDirectory dir = ZipDirectory.parse(ch, name, limits);
                JsonNode config = Json.parse(KerasZipReader.jsonEntry(ch, dir, name, "config.json", limits),
                        name + ": config.json", limits);
                compile = config.get("compile_config");
                weights = KerasZipReader.openWeights(ch, dir, name, limits);
            } catch (IOException e) {
                throw new KerasImportException(name + ": cannot read: " + e.getMessage(), e);
            }
            if (compile != null && (!compile.isObject() || compile.isEmpty())) {
                compile = null;
            }
            try (HdfFile h5 = weights) {
                String what = name + ": " + KerasZipReader.WEIGHTS;
                return new TrainingState(compile, variables(new Hdf5Tree(h5, what, limits), what));
            }
        }
        if (format != FileFormat.LEGACY_H5) {
            throw new KerasImportException(name + ": training state is read from a .keras or .weights.h5 file, this"
                    + " is " + format.id());
        }
        try (HdfFile h5 = Hdf5.open(path)) {
            return new TrainingState(null, variables(new Hdf5Tree(h5, name, limits), name));
        }
    }

    private static List<OptimizerVariable> variables(Hdf5Tree tree, String what) {
        List<OptimizerVariable> out = new ArrayList<>();
        Group og = tree.childGroup(tree.file(), "optimizer", what);
        Group vars = og == null ? null : tree.childGroup(og, "vars", what + ": /optimizer");
        if (vars == null) {
            return out;
        }
        Map<String, Node> children = tree.resolvedChildren(vars, what + ": /optimizer/vars");
        for (int i = 0; i < children.size(); i++) {
            String where = what + ": /optimizer/vars/" + i;
            if (!(children.get(Integer.toString(i)) instanceof Dataset ds)) {
                throw new KerasImportException(what + ": /optimizer/vars: expected datasets 0.." + (children.size() - 1)
                        + ", found " + Echo.of(children.keySet()));
            }
            out.add(variable(ds, "optimizer/vars/" + i, where, tree));
        }
        return out;
    }

    private static OptimizerVariable variable(Dataset ds, String label, String where, Hdf5Tree tree) {
        int[] shape;
        try {
            shape = ds.isScalar() ? new int[0] : ds.getDimensions();
        } catch (RuntimeException e) {
            throw new KerasImportException(where + ": cannot read the variable's shape (truncated or corrupt file?): "
                    + e.getMessage(), e);
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new KerasImportException(where + ": negative dimension " + java.util.Arrays.toString(shape));
            }
            n *= d;
            tree.limits().check(Limit.MAX_TENSOR_ELEMENTS, n, where + ": variable of shape "
                    + java.util.Arrays.toString(shape));
        }
        tree.addWeightBytes(8 * n, where);
        if (Hdf5Data.type(ds, where) instanceof FixedPoint) {
            return OptimizerVariable.int64(label, Hdf5Data.int64s(ds, (int) n, tree, where), shape);
        }
        return OptimizerVariable.float32(label, Hdf5Data.floats(ds, (int) n, tree, where), shape);
    }
}
