package org.jkeras.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/** Reads a row's sequence column into a {@code [time*features]} float32 array. */
final class Sequences {
    private Sequences() {
    }

    /**
     * The sequence, or null when the cell is null.
     *
     * @throws IllegalArgumentException when values are null, or the lengths do not make whole time steps
     */
    static float[] read(Row row, int column, boolean nested, int features) {
        if (row.isNullAt(column)) {
            return null;
        }
        List<Object> cells = row.getList(column);
        if (!nested) {
            if (cells.isEmpty() || cells.size() % features != 0) {
                throw new IllegalArgumentException("a sequence of " + cells.size() + " values is not a whole, non-zero"
                        + " number of time steps of " + features + " features: " + row);
            }
            float[] x = new float[cells.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = value(cells.get(i), row);
            }
            return x;
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("an empty sequence: " + row);
        }
        float[] x = new float[cells.size() * features];
        for (int t = 0; t < cells.size(); t++) {
            Object step = cells.get(t);
            List<?> values = step instanceof scala.collection.Seq<?> s ? scala.jdk.javaapi.CollectionConverters.asJava(s)
                    : (List<?>) step;
            if (values == null || values.size() != features) {
                throw new IllegalArgumentException("time step " + t + " has " + (values == null ? "no" : values.size())
                        + " values, the model takes " + features + " features: " + row);
            }
            for (int f = 0; f < features; f++) {
                x[t * features + f] = value(values.get(f), row);
            }
        }
        return x;
    }

    private static float value(Object v, Row row) {
        if (v == null) {
            throw new IllegalArgumentException("a null value in a sequence: " + row);
        }
        return ((Number) v).floatValue();
    }
}
