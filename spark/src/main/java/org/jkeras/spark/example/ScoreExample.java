package org.jkeras.spark.example;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jkeras.spark.KerasScoring;

/**
 * The example Spark job: scores a Parquet file's column of sequences (or generated windows of a
 * sine wave) with a Keras model and writes {@code id} and the forecasts as Parquet.
 *
 * <pre>
 * --model FILE      .keras or .h5 (default: the airline forecaster of test-fixtures: 12 steps x 1 feature)
 * --input FILE      Parquet with an "id" column and the sequence column; else --rows N generated windows (default 100000)
 * --input-col NAME  the sequence column (default window): array&lt;float&gt; [time*features] or array&lt;array&lt;float&gt;&gt;
 * --out DIR         Parquet output (default spark/target/example-out)
 * --master URL      (default local[2]; omit under spark-submit, which sets it)
 * </pre>
 */
public final class ScoreExample {
    private ScoreExample() {
    }

    /** Runs the job; see the class comment for the options. */
    public static void main(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path model = Path.of(o.getOrDefault("model", "test-fixtures/fixtures/models/airline_lstm/sequential/model.keras"));
        String col = o.getOrDefault("input-col", "window");
        SparkSession spark = SparkSession.builder().appName("jkeras scoring example")
                .master(o.getOrDefault("master", "local[2]")).config("spark.ui.enabled", "false").getOrCreate();
        try {
            KerasScoring scoring = KerasScoring.of(spark, model).inputCol(col).outputCol("forecast").batchSize(256);
            Dataset<Row> df;
            if (o.containsKey("input")) {
                df = spark.read().parquet(o.get("input"));
            } else {
                int size = scoring.model().inputShapes().get(0).dim(1) * scoring.model().inputShapes().get(0).dim(2);
                df = spark.range(Long.parseLong(o.getOrDefault("rows", "100000"))).selectExpr("id",
                        "transform(sequence(0, " + (size - 1) + "), i -> cast(0.5 + 0.4 * sin((id + i) * 0.3) as float)) as " + col);
            }
            String out = o.getOrDefault("out", "spark/target/example-out");
            long t0 = System.nanoTime();
            scoring.transform(df).select("id", "forecast").write().mode("overwrite").parquet(out);
            System.out.printf("scored in %.1f s; forecasts in %s%n", (System.nanoTime() - t0) / 1e9, out);
            spark.read().parquet(out).orderBy("id").show(5, false);
        } finally {
            spark.stop();
        }
    }
}
