package org.jkeras.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import org.jkeras.cli.io.Npy;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bundled airline-passengers example, read from the classpath ({@code org/jkeras/cli/demo/},
 * copied there from {@code test-fixtures/fixtures/demo} at build time): the Keras model, every
 * 12-month window of the scaled series, Keras's own forecasts for them, and the facts needed to
 * turn scaled values back into passengers.
 *
 * @param windows          scaled inputs, [N, look_back, 1]
 * @param kerasForecast    Keras's scaled forecasts, [N, 1]
 * @param lookBack         months per window
 * @param scaleMin         series minimum (scaled 0)
 * @param scaleMax         series maximum (scaled 1)
 * @param firstTargetMonth the month forecast by window 0
 * @param trainSize        months of the series used for training
 * @param series           the raw monthly passenger counts (thousands)
 * @param kerasVersion     the Keras version that trained the model
 */
record AirlineDemo(Tensor windows, Tensor kerasForecast, int lookBack, double scaleMin, double scaleMax,
                   YearMonth firstTargetMonth, int trainSize, double[] series, String kerasVersion) {
    private static final String DIR = "demo/";
    static final String MODEL = DIR + "airline_lstm.keras";

    /** Loads and cross-checks the bundled files; a missing or inconsistent file is a broken build. */
    static AirlineDemo load() {
        try {
            JsonNode meta;
            try (InputStream in = open("airline_meta.json")) {
                meta = new JsonMapper().readTree(in);
            }
            Tensor windows;
            try (InputStream in = open("airline_windows.npy")) {
                windows = Npy.read(in, "airline_windows.npy");
            }
            Tensor forecast;
            try (InputStream in = open("airline_keras_forecast.npy")) {
                forecast = Npy.read(in, "airline_keras_forecast.npy");
            }
            JsonNode s = meta.path("series");
            double[] series = new double[s.size()];
            for (int i = 0; i < series.length; i++) {
                series[i] = s.get(i).doubleValue();
            }
            AirlineDemo demo = new AirlineDemo(windows, forecast, meta.path("look_back").intValue(),
                    meta.path("scale_min").doubleValue(), meta.path("scale_max").doubleValue(),
                    YearMonth.parse(meta.path("first_target_month").stringValue()),
                    meta.path("train_size").intValue(), series, meta.path("keras_version").asString("unknown"));
            demo.check();
            return demo;
        } catch (IOException | RuntimeException e) { // incl. Jackson errors and failed checks {
            throw new CliException(ExitCode.FAILURE, "the bundled demo files are unreadable (" + e.getMessage()
                    + "): rebuild jkeras after regenerating test-fixtures/fixtures/demo", e);
        }
    }

    /** Copies the bundled model to a temporary file (the importer reads files); the caller deletes it. */
    static Path modelToTempFile() {
        try (InputStream in = open("airline_lstm.keras")) {
            Path tmp = Files.createTempFile("jkeras-demo-", ".keras");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = AirlineDemo.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IOException("missing resource org/jkeras/cli/" + DIR + name);
        }
        return in;
    }

    private void check() {
        int n = windows.rank() == 3 ? windows.dim(0) : -1;
        if (n < 1 || windows.dim(1) != lookBack || windows.dim(2) != 1) {
            throw new IllegalStateException("windows have shape " + Shape.format(windows.shape())
                    + ", expected (N, " + lookBack + ", 1)");
        }
        if (kerasForecast.rank() != 2 || kerasForecast.dim(0) != n || kerasForecast.dim(1) != 1) {
            throw new IllegalStateException("Keras forecast has shape " + Shape.format(kerasForecast.shape())
                    + ", expected (" + n + ", 1)");
        }
        if (series.length < lookBack + n || !(scaleMax > scaleMin)) {
            throw new IllegalStateException("metadata does not fit " + n + " windows of " + lookBack + " months");
        }
    }

    /** Number of windows (forecast months). */
    int count() {
        return windows.dim(0);
    }

    /** A scaled value in passengers (thousands). */
    double unscale(double scaled) {
        return scaled * (scaleMax - scaleMin) + scaleMin;
    }

    /** The observed passengers in the month window {@code i} forecasts. */
    double actual(int i) {
        return series[lookBack + i];
    }

    /** True when window {@code i}'s target month was part of the training data. */
    boolean isTraining(int i) {
        return lookBack + i < trainSize;
    }
}
