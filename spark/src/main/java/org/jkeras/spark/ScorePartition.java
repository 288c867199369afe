package org.jkeras.spark;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;

/** Scores one partition: reads up to {@code batchSize} rows, predicts them together, emits them with their outputs. */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> model;
    private final int column;
    private final String columnName;
    private final boolean nested;
    private final int features;
    private final int batchSize;
    private final boolean bfloat16Kernels;

    ScorePartition(Broadcast<byte[]> model, int column, String columnName, boolean nested, int features, int batchSize,
                   boolean bfloat16Kernels) {
        this.model = model;
        this.column = column;
        this.columnName = columnName;
        this.nested = nested;
        this.features = features;
        this.batchSize = batchSize;
        this.bfloat16Kernels = bfloat16Kernels;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Model m = ExecutorModels.get(model, bfloat16Kernels);
        return new Iterator<>() {
            private final List<Row> batch = new ArrayList<>(batchSize);
            private float[][] outputs = new float[0][];
            private int next;

            @Override
            public boolean hasNext() {
                if (next < batch.size()) {
                    return true;
                }
                batch.clear();
                next = 0;
                while (batch.size() < batchSize && rows.hasNext()) {
                    batch.add(rows.next());
                }
                if (batch.isEmpty()) {
                    return false;
                }
                outputs = predict(m, batch);
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = batch.get(next);
                Object[] v = new Object[r.length() + 1];
                for (int i = 0; i < r.length(); i++) {
                    v[i] = r.get(i);
                }
                v[r.length()] = outputs[next++];
                return RowFactory.create(v);
            }
        };
    }

    /** Outputs per row (null for a null sequence); rows of one length go through one predict call. */
    private float[][] predict(Model m, List<Row> batch) {
        float[][] seqs = new float[batch.size()][];
        Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            seqs[i] = Sequences.read(batch.get(i), column, nested, features);
            if (seqs[i] != null) {
                byLength.computeIfAbsent(seqs[i].length / features, k -> new ArrayList<>()).add(i);
            }
        }
        float[][] out = new float[batch.size()][];
        for (Map.Entry<Integer, List<Integer>> g : byLength.entrySet()) {
            List<Integer> idx = g.getValue();
            int steps = g.getKey();
            int stride = steps * features;
            float[] x = new float[idx.size() * stride];
            for (int r = 0; r < idx.size(); r++) {
                System.arraycopy(seqs[idx.get(r)], 0, x, r * stride, stride);
            }
            Tensor y;
            try {
                y = m.predict(Tensor.wrap(x, idx.size(), steps, features));
            } catch (InputMismatchException e) {
                throw new InputMismatchException("column '" + columnName + "', sequences of " + steps + " steps: " + e.getMessage());
            }
            int row = y.size() / idx.size();
            for (int r = 0; r < idx.size(); r++) {
                out[idx.get(r)] = java.util.Arrays.copyOfRange(y.data(), r * row, (r + 1) * row);
            }
        }
        return out;
    }
}
