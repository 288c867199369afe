package org.jkeras.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scoring DataFrames in {@code local[2]}: row for row what {@code Model.predict} gives, and Keras's numbers. */
class KerasScoringTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("jkeras-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void thousandsOfSequencesMatchModelPredictRowForRowAndKerasOnItsFixtureRows() {
        FixtureCase c = Fixtures.byId("multivariate_lstm50__sequential__keras_zip");
        FixtureArray kx = c.inputs().get(0); // [4, 12, 8], Keras's outputs [4, 1]
        int steps = kx.dim(1);
        int features = kx.dim(2);
        int n = 4000;
        Random random = new Random(42);
        List<Row> rows = new ArrayList<>();
        Map<Long, float[]> inputs = new HashMap<>();
        for (long id = 0; id < n; id++) {
            float[] x = new float[steps * features];
            if (id < kx.dim(0)) {
                System.arraycopy(kx.data(), (int) id * x.length, x, 0, x.length);
            } else {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
            }
            inputs.put(id, x);
            rows.add(RowFactory.create(id, x));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("window", DataTypes.createArrayType(DataTypes.FloatType, false));
        Dataset<Row> df = spark.createDataFrame(rows, schema); // local[2]: 2 partitions

        KerasScoring scoring = KerasScoring.of(spark, c.modelPath()).inputCol("window").outputCol("forecast").batchSize(128);
        int loadsBefore = ExecutorModels.loads();
        List<Row> scored = scoring.transform(df).collectAsList();
        assertEquals(loadsBefore + 1, ExecutorModels.loads(), "one model load for the 2 partitions on 2 task threads");
        throughput(scoring, steps, features);

        assertEquals(n, scored.size());
        Model model = scoring.model();
        float[] keras = new float[kx.dim(0)];
        for (Row r : scored) {
            long id = r.getLong(0);
            float[] got = toFloats(r.getList(2));
            float[] want = model.predict(Tensor.wrap(inputs.get(id), 1, steps, features)).data();
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) { // batched kernels may round differently from batch 1
                assertEquals(want[i], got[i], 1e-6 + 1e-6 * Math.abs(want[i]), "row " + id);
            }
            if (id < keras.length) {
                keras[(int) id] = got[0];
            }
        }
        Tolerance.assertClose(c.outputs().get(0), keras, new int[] {keras.length, 1}, c.atol(), c.rtol(), c.id());
    }

    /**
     * Conv1D → LSTM(40) → Dense(3) of the {@code precision} set scored with its kernels rounded to bfloat16: the rows
     * give Keras's outputs on the kernels Keras rounded.
     */
    @Test
    void bfloat16KernelsScoreKerasRoundedOutputs() {
        FixtureCase c = Fixtures.manifest("precision").byId("bf16_conv_lstm_batch__functional__keras_zip__bf16");
        FixtureArray kx = c.inputs().get(0); // [3, T, features]
        int steps = kx.dim(1);
        int features = kx.dim(2);
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < kx.dim(0); id++) {
            int n = steps * features;
            rows.add(RowFactory.create(id, Arrays.copyOfRange(kx.data(), (int) id * n, (int) (id + 1) * n)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("window", DataTypes.createArrayType(DataTypes.FloatType, false));
        KerasScoring scoring = KerasScoring.of(spark, c.modelPath()).inputCol("window").bfloat16Kernels();
        assertEquals("bfloat16", scoring.model().metadata().get("kernel_precision"));
        List<Row> scored = scoring.transform(spark.createDataFrame(rows, schema)).collectAsList();
        int width = c.outputs().get(0).dim(1);
        float[] got = new float[kx.dim(0) * width];
        for (Row r : scored) {
            System.arraycopy(toFloats(r.getList(2)), 0, got, (int) r.getLong(0) * width, width);
        }
        Tolerance.assertClose(c.outputs().get(0), got, new int[] {kx.dim(0), width}, c.atol(), c.rtol(), c.id());
    }

    @Test
    void nestedDoubleSequencesAndNullsAreScored() {
        // 5 features, 10 steps, sequences out: [10, 4] per row
        Path model = Fixtures.root().resolve("models/lstm_seq_timedistributed/sequential/model.keras");
        KerasScoring scoring = KerasScoring.of(spark, model).batchSize(3);
        List<Row> rows = new ArrayList<>();
        Map<Long, double[][]> seqs = new HashMap<>();
        Random random = new Random(7);
        for (long id = 0; id < 50; id++) {
            int t = 10;
            double[][] x = new double[t][5];
            List<List<Double>> cell = new ArrayList<>();
            for (double[] step : x) {
                List<Double> v = new ArrayList<>();
                for (int f = 0; f < 5; f++) {
                    step[f] = random.nextDouble() - 0.5;
                    v.add(step[f]);
                }
                cell.add(v);
            }
            seqs.put(id, x);
            rows.add(RowFactory.create(id, id % 10 == 9 ? null : scala.jdk.javaapi.CollectionConverters.asScala(
                    cell.stream().map(scala.jdk.javaapi.CollectionConverters::asScala).toList()).toSeq()));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false).add("sequence",
                DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)));
        List<Row> scored = scoring.transform(spark.createDataFrame(rows, schema)).collectAsList();
        assertEquals(50, scored.size());
        for (Row r : scored) {
            long id = r.getLong(0);
            if (id % 10 == 9) {
                assertNull(r.get(2));
                continue;
            }
            double[][] x = seqs.get(id);
            float[] flat = new float[x.length * 5];
            for (int t = 0; t < x.length; t++) {
                for (int f = 0; f < 5; f++) {
                    flat[t * 5 + f] = (float) x[t][f];
                }
            }
            float[] want = scoring.model().predict(Tensor.wrap(flat, 1, x.length, 5)).data();
            float[] got = toFloats(r.getList(2));
            assertEquals(x.length * 4, got.length, "[time, 4 units] per row");
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-6 + 1e-6 * Math.abs(want[i]), "row " + id);
            }
        }
    }

    @Test
    void aSequenceLengthTheModelDoesNotTakeFailsWithJkerasMessage() {
        Path model = Fixtures.root().resolve("models/lstm_last_dense/sequential/model.keras"); // 12 steps x 5 features
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create((Object) new float[10])),
                new StructType().add("sequence", DataTypes.createArrayType(DataTypes.FloatType, false)));
        Exception e = assertThrows(Exception.class, () -> KerasScoring.of(spark, model).transform(df).collectAsList());
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof org.jkeras.runtime.tensor.InputMismatchException)) {
            cause = cause.getCause();
        }
        assertEquals("column 'sequence', sequences of 2 steps: input 'input' expects shape (None, 12, 5), got (1, 2, 5)",
                cause.getMessage());
    }

    @Test
    void aColumnThatIsNotSequencesIsRefusedOnTheDriver() {
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create("x")),
                new StructType().add("sequence", DataTypes.StringType));
        KerasScoring scoring = KerasScoring.of(spark, Fixtures.root().resolve("models/lstm_last_dense/sequential/model.keras"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scoring.transform(df));
        assertEquals("column 'sequence' must be array<float|double> ([time*features] row-major) or"
                + " array<array<float|double>> ([time][features]), is string", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> scoring.inputCol("nope").transform(df));
        assertEquals("no column 'nope' in struct<sequence:string>", e.getMessage());
    }

    /**
     * Times scoring cached rows into a no-op sink: a warm-up run, then the timed one (printed, not
     * asserted), beside the same job without the model, to tell Spark's share from the model's.
     */
    private static void throughput(KerasScoring scoring, int steps, int features) {
        int n = 50_000;
        List<Row> rows = new ArrayList<>(n);
        for (long id = 0; id < n; id++) {
            float[] x = new float[steps * features];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(id * 0.001 + i);
            }
            rows.add(RowFactory.create(id, x));
        }
        Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("id", DataTypes.LongType, false)
                .add("window", DataTypes.createArrayType(DataTypes.FloatType, false))).repartition(2).cache();
        df.count();
        scoring.transform(df.limit(10_000)).write().format("noop").mode("overwrite").save();
        long t0 = System.nanoTime();
        df.selectExpr("id", "window", "slice(window, 1, 1) as forecast").write().format("noop").mode("overwrite").save();
        double bare = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        scoring.transform(df).write().format("noop").mode("overwrite").save();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("jkeras-spark throughput: LSTM(50) %d steps x %d features, local[2], batch 128: %d sequences"
                + " in %.2f s = %.0f sequences/s (the same job without the model: %.2f s)%n", steps, features, n, s, n / s, bare);
        df.unpersist();
    }

    private static float[] toFloats(List<Object> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) list.get(i)).floatValue();
        }
        return f;
    }
}
