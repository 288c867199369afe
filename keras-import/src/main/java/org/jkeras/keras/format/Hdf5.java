package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;

/** Small helpers over jhdf: opening files with clear errors and reading Keras's string attributes. */
final class Hdf5 {
    private Hdf5() {
    }

    /** Opens an HDF5 file; a truncated or corrupt file gives an error naming it. */
    static HdfFile open(Path path) {
        try {
            return new HdfFile(path);
        } catch (RuntimeException e) {
            throw new KerasImportException(path.getFileName() + ": not a readable HDF5 file (truncated or corrupt?): "
                    + e.getMessage(), e);
        }
    }

    /** Opens an HDF5 image held in memory (e.g. {@code model.weights.h5} inside a {@code .keras} zip). */
    static HdfFile open(byte[] bytes, String what) {
        try {
            return HdfFile.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw new KerasImportException(what + ": not a readable HDF5 file (truncated or corrupt?): "
                    + e.getMessage(), e);
        }
    }

    /** A string attribute (h5py writes str or bytes, scalar or 1-element), or null if absent. */
    static String stringAttribute(Node node, String name, String what) {
        List<String> values = stringsAttribute(node, name, what);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw new KerasImportException(what + ": attribute '" + name + "' should hold one string, holds "
                    + values.size());
        }
        return values.get(0);
    }

    /**
     * A list-of-strings attribute such as {@code layer_names} or {@code weight_names}, or null if
     * absent. Keras writes an empty list as an empty float64 array, which reads as an empty list.
     */
    static List<String> stringsAttribute(Node node, String name, String what) {
        Attribute attr;
        try {
            attr = node.getAttribute(name);
        } catch (RuntimeException e) {
            throw new KerasImportException(what + ": cannot read attribute '" + name + "' (truncated or corrupt file?): "
                    + e.getMessage(), e);
        }
        if (attr == null) {
            return null;
        }
        Object data;
        try {
            data = attr.isEmpty() ? null : attr.getData();
        } catch (RuntimeException e) {
            throw new KerasImportException(what + ": cannot read attribute '" + name + "' (truncated or corrupt file?): "
                    + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        if (data != null) {
            collect(data, out, name, what);
        }
        return out;
    }

    private static void collect(Object data, List<String> out, String name, String what) {
        if (data instanceof String s) {
            out.add(s);
        } else if (data instanceof Object[] items) {
            for (Object item : items) {
                collect(item, out, name, what);
            }
        } else if (data.getClass().isArray() && Array.getLength(data) == 0) {
            return; // numpy writes an empty list as float64[0]
        } else {
            throw new KerasImportException(what + ": attribute '" + name + "' should hold strings, holds "
                    + data.getClass().getSimpleName());
        }
    }
}
