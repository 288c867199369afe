package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.file.Path;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limits;

/** Opens a separate weights file and tells its layout (Keras 3 {@code .weights.h5} or legacy). */
public final class WeightFiles {
    private WeightFiles() {
    }

    /**
     * An open weights file.
     *
     * @param source       the weights
     * @param file         the open HDF5 file behind them, for the caller to close
     * @param kerasVersion the {@code keras_version} attribute of a legacy file, or null
     * @param backend      the {@code backend} attribute of a legacy file, or null
     */
    public record Opened(WeightSource source, AutoCloseable file, String kerasVersion, String backend) {
    }

    /**
     * Opens {@code path}, which must be an HDF5 weights file (or a full legacy model file).
     *
     * @param path   the HDF5 file
     * @param limits the bounds on what is read from it
     * @return the weights with the open file and its version attributes
     * @throws KerasImportException when the file is missing, not HDF5 or malformed
     */
    public static Opened open(Path path, Limits limits) {
        String name = String.valueOf(path.getFileName());
        FileFormat format = FormatDetector.detect(path);
        if (format != FileFormat.LEGACY_H5) {
            throw new KerasImportException(name + ": a weights file must be HDF5 (.weights.h5 or save_weights .h5),"
                    + " this is " + format.id());
        }
        HdfFile file = Hdf5.open(path);
        try {
            return of(new Hdf5Tree(file, name, limits), name);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Reads the layout of an already open HDF5 file (e.g. one read from inside a zip). */
    static Opened of(Hdf5Tree tree, String name) {
        HdfFile file = tree.file();
        try {
            String version = Hdf5.stringAttribute(file, "keras_version", name, tree.limits());
            String backend = Hdf5.stringAttribute(file, "backend", name, tree.limits());
            if (tree.childGroup(file, "layers", name) != null) {
                return new Opened(new Keras3WeightSource(tree, name), file, version, backend);
            }
            if (file.getAttribute("layer_names") != null) {
                return new Opened(new LegacyWeightSource(tree, file, name + ": ", name), file, version, backend);
            }
            Group mw = tree.childGroup(file, "model_weights", name);
            if (mw != null) {
                return new Opened(new LegacyWeightSource(tree, mw, name + ": /model_weights", name), file, version,
                        backend);
            }
            if (file.getChildren().isEmpty() && java.util.Set.of("_jHDF").containsAll(file.getAttributes().keySet())) {
                // the weights of a weightless model as jkeras writes them: layers that look up weights get none
                return new Opened(new Keras3WeightSource(tree, name, true), file, version, backend);
            }
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(name + ": cannot read the HDF5 structure (truncated or corrupt?): "
                    + e.getMessage(), e);
        }
        throw new KerasImportException(name + ": not a Keras weights file: no 'layers' group (Keras 3),"
                + " no 'layer_names' attribute (save_weights) and no 'model_weights' group");
    }
}
