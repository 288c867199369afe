package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;

/**
 * Small helpers over jhdf: opening files with clear errors and reading Keras's string attributes, bounded by
 * {@link Limit#MAX_HDF5_ATTRIBUTE_BYTES}.
 */
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

    /** Opens an HDF5 image held in a buffer (a weights entry stored uncompressed in a zip, mapped from the file). */
    static HdfFile open(java.nio.ByteBuffer bytes, String what) {
        try {
            return HdfFile.fromByteBuffer(bytes);
        } catch (RuntimeException e) {
            throw new KerasImportException(what + ": not a readable HDF5 file (truncated or corrupt?): "
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
    static String stringAttribute(Node node, String name, String what, Limits limits) {
        List<String> values = stringsAttribute(node, name, what, limits);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw new KerasImportException(what + ": attribute '" + name + "' should hold one string, holds "
                    + values.size());
        }
        if (values.get(0) == null) {
            throw new KerasImportException(what + ": attribute '" + name + "' holds a missing string");
        }
        return values.get(0);
    }

    /**
     * A list-of-strings attribute such as {@code layer_names} or {@code weight_names}, or null if
     * absent. Keras writes an empty list as an empty float64 array, which reads as an empty list.
     */
    static List<String> stringsAttribute(Node node, String name, String what, Limits limits) {
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
            limits.check(Limit.MAX_HDF5_ATTRIBUTE_BYTES, attr.getSizeInBytes(), what + ": attribute '" + name + "'");
            data = attr.isEmpty() ? null : attr.getData();
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(what + ": cannot read attribute '" + name + "' (truncated or corrupt file?): "
                    + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        if (data != null) {
            collect(data, out, name, what);
        }
        long chars = 0;
        for (String v : out) {
            chars += v == null ? 0 : v.length();
        }
        limits.check(Limit.MAX_HDF5_ATTRIBUTE_BYTES, chars, what + ": attribute '" + name + "'");
        return out;
    }

    private static void collect(Object data, List<String> out, String name, String what) {
        if (data instanceof String s) {
            out.add(s);
        } else if (data == null) {
            throw new KerasImportException(what + ": attribute '" + name + "' holds a missing string");
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
