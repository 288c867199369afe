package org.jkeras.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;

/**
 * Batch scoring of a DataFrame column of sequences with a Keras model. The model file's bytes are
 * broadcast once; each executor JVM loads the model once ({@link ExecutorModels}) and shares it
 * between its task threads; each partition is predicted in batches of {@link #batchSize(int)} rows
 * on the SIMD kernels, and the output is appended as a new column. The same code runs in
 * {@code local[N]} and on a cluster.
 *
 * <pre>{@code
 * Dataset<Row> scored = KerasScoring.of(spark, Path.of("forecaster.keras"))
 *         .inputCol("window")          // array<float> [time*features] row-major, or array<array<float>> [time][features]
 *         .outputCol("forecast")       // array<float>: the model's output for the row, flattened
 *         .batchSize(256)
 *         .transform(df);
 * }</pre>
 *
 * Input values may be float or double (cast to float32, as Keras feeds float32). A null sequence gives
 * a null output. Rows of one batch with different lengths are predicted in groups of one length,
 * and a length the model cannot take (a fixed {@code timesteps}) fails the task with jkeras's
 * message naming the expected and actual shapes.
 */
public final class KerasScoring {
    private final SparkSession spark;
    private final byte[] modelFile;
    private Model model; // loaded on the driver to check the columns against the model
    private boolean bfloat16Kernels;
    private String inputCol = "sequence";
    private String outputCol = "prediction";
    private int batchSize = 256;

    private KerasScoring(SparkSession spark, byte[] modelFile) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.modelFile = modelFile;
        this.model = ExecutorModels.load(modelFile);
        Shape in = model.inputShapes().isEmpty() ? null : model.inputShapes().get(0);
        if (model.inputShapes().size() != 1 || model.outputShapes().size() != 1 || in.rank() != 3 || in.dim(2) < 1) {
            throw new IllegalArgumentException("KerasScoring takes models with one [batch, time, features] input (features"
                    + " fixed) and one output; this one has inputs " + model.inputShapes() + " and outputs "
                    + model.outputShapes());
        }
    }

    /** Scoring with a model file ({@code .keras} or {@code .h5}) read on the driver and broadcast. */
    public static KerasScoring of(SparkSession spark, Path modelFile) {
        try {
            return new KerasScoring(spark, Files.readAllBytes(modelFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + modelFile, e);
        }
    }

    /** Scoring with a model file's bytes. */
    public static KerasScoring of(SparkSession spark, byte[] modelFile) {
        return new KerasScoring(spark, modelFile.clone());
    }

    /** The column of sequences (default {@code sequence}). */
    public KerasScoring inputCol(String name) {
        this.inputCol = Objects.requireNonNull(name);
        return this;
    }

    /** The new column for the outputs (default {@code prediction}). */
    public KerasScoring outputCol(String name) {
        this.outputCol = Objects.requireNonNull(name);
        return this;
    }

    /** Rows per predict call (default 256): larger batches use the SIMD kernels better. */
    public KerasScoring batchSize(int rows) {
        if (rows < 1 || rows > 1 << 16) {
            throw new IllegalArgumentException("batchSize must be 1 to 65536, got " + rows);
        }
        this.batchSize = rows;
        return this;
    }

    /**
     * Scores with every kernel rounded to bfloat16 ({@link Model#withBfloat16Kernels()}, the README's "bfloat16
     * kernels"): the executors' batch-1 steps stream half the weight bytes, the outputs move within that section's
     * documented tolerance of float32's. Checked on the driver, so a model it cannot take fails here.
     *
     * @throws IllegalArgumentException naming the layer when a layer holds a kernel jkeras cannot rebuild rounded
     */
    public KerasScoring bfloat16Kernels() {
        this.model = model.withBfloat16Kernels();
        this.bfloat16Kernels = true;
        return this;
    }

    /** The model, as loaded on the driver (with its kernels rounded after {@link #bfloat16Kernels()}). */
    public Model model() {
        return model;
    }

    /**
     * {@code df} with the output column appended.
     *
     * @throws IllegalArgumentException when the input column is missing or not an array of numbers
     *                                  (or of arrays of numbers of the model's feature count), or the
     *                                  output column exists already
     */
    public Dataset<Row> transform(Dataset<Row> df) {
        StructType schema = df.schema();
        int index = Arrays.asList(schema.fieldNames()).indexOf(inputCol);
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + inputCol + "' in " + schema.simpleString());
        }
        if (Arrays.asList(schema.fieldNames()).contains(outputCol)) {
            throw new IllegalArgumentException("the output column '" + outputCol + "' exists already");
        }
        boolean nested = nested(schema.fields()[index]);
        StructType out = schema.add(new StructField(outputCol, DataTypes.createArrayType(DataTypes.FloatType, false),
                true, org.apache.spark.sql.types.Metadata.empty()));
        Broadcast<byte[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(modelFile);
        int features = model.inputShapes().get(0).dim(2);
        return df.mapPartitions(new ScorePartition(shared, index, inputCol, nested, features, batchSize,
                bfloat16Kernels), Encoders.row(out));
    }

    private boolean nested(StructField f) {
        DataType t = f.dataType();
        if (t instanceof ArrayType a) {
            if (number(a.elementType())) {
                return false;
            }
            if (a.elementType() instanceof ArrayType inner && number(inner.elementType())) {
                return true;
            }
        }
        throw new IllegalArgumentException("column '" + f.name() + "' must be array<float|double> ([time*features]"
                + " row-major) or array<array<float|double>> ([time][features]), is " + t.simpleString());
    }

    private static boolean number(DataType t) {
        return t.equals(DataTypes.FloatType) || t.equals(DataTypes.DoubleType);
    }
}
