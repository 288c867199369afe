package org.jkeras.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jkeras demo}: the bundled airline-passengers LSTM, trained in Keras, forecasts every
 * month of 1950-1960 on the JVM; the table compares jkeras with Keras's own forecasts and the
 * exit code says whether they agree within the project's tolerance (1e-5 + 1e-5 * |keras|).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Forecast airline passengers with a bundled Keras LSTM and compare with Keras.")
final class DemoCommand implements Callable<Integer> {
    static final double ABS_TOL = 1e-5;
    static final double REL_TOL = 1e-5;
    private static final int[] WIDTHS = {9, 7, 8, 10, 10, 10};

    @ParentCommand
    private Main main;

    @Option(names = "--all", description = "Show every month (default: every 12th and the last three).")
    private boolean all;

    @Override
    public Integer call() {
        PrintStream out = main.out();
        AirlineDemo demo = AirlineDemo.load();
        Path modelFile = AirlineDemo.modelToTempFile();
        Model model;
        long t0 = System.nanoTime();
        try {
            model = ModelFiles.load(main.loader(), modelFile, null);
        } finally {
            deleteQuietly(modelFile);
        }
        long t1 = System.nanoTime();
        List<Tensor> ys = model.predict(List.of(demo.windows()));
        long t2 = System.nanoTime();
        double warmMs = warmCallMillis(model, demo.windows());
        float[] java = ys.get(0).data();
        float[] keras = demo.kerasForecast().data();
        if (java.length != keras.length) {
            throw new CliException(ExitCode.FAILURE, "the model returned " + java.length + " values for "
                    + keras.length + " windows");
        }
        int n = demo.count();

        out.println("Airline passengers, 1949-1960 (thousands per month). An LSTM(4) -> Dense(1) trained in Keras "
                + demo.kerasVersion());
        out.println("forecasts each month from the " + demo.lookBack() + " before it.");
        out.println("Months before " + demo.firstTargetMonth().plusMonths(demo.trainSize() - demo.lookBack())
                + " were used for training; later ones are unseen (\"test\").");
        out.println();
        out.println(row("month", "set", "actual", "Keras", "jkeras", "|diff|"));
        int worst = 0;
        double worstRatio = -1;
        double maxDiff = 0;
        double[] sq = new double[4]; // squared errors: keras train, keras test, jkeras train, jkeras test
        int[] counts = new int[2];
        int shown = 0;
        for (int i = 0; i < n; i++) {
            double diff = Math.abs((double) java[i] - keras[i]);
            double ratio = diff / (ABS_TOL + REL_TOL * Math.abs(keras[i]));
            if (Double.isNaN(ratio) || ratio > worstRatio) {
                worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                worst = i;
            }
            maxDiff = Double.isNaN(diff) ? Double.NaN : Math.max(maxDiff, diff);
            double actual = demo.actual(i);
            double k = demo.unscale(keras[i]);
            double j = demo.unscale(java[i]);
            int set = demo.isTraining(i) ? 0 : 1;
            counts[set]++;
            sq[set] += (k - actual) * (k - actual);
            sq[2 + set] += (j - actual) * (j - actual);
            if (all || i % 12 == 0 || i >= n - 3) {
                shown++;
                out.println(row(demo.firstTargetMonth().plusMonths(i).toString(), set == 0 ? "train" : "test",
                        String.format(Locale.ROOT, "%.0f", actual), String.format(Locale.ROOT, "%.2f", k), String.format(Locale.ROOT, "%.2f", j),
                        String.format(Locale.ROOT, "%.1e", Math.abs(j - k))));
            }
        }
        if (!all) {
            out.println("(" + shown + " of " + n + " months shown; --all shows every month)");
        }
        out.println();
        out.printf(Locale.ROOT, "RMSE vs actual (passengers): train Keras %.2f, jkeras %.2f; test Keras %.2f, jkeras %.2f%n",
                rmse(sq[0], counts[0]), rmse(sq[2], counts[0]), rmse(sq[1], counts[1]), rmse(sq[3], counts[1]));
        out.printf(Locale.ROOT, "max |jkeras - Keras|: %.3e scaled = %.3e passengers (worst at %s)%n",
                maxDiff, maxDiff * (demo.scaleMax() - demo.scaleMin()), demo.firstTargetMonth().plusMonths(worst));
        boolean ok = worstRatio <= 1.0;
        out.printf(Locale.ROOT, "tolerance %.0e + %.0e * |Keras|: %s (worst difference is %.3f of the tolerance)%n",
                ABS_TOL, REL_TOL, ok ? "all within" : "EXCEEDED", worstRatio);
        out.printf(Locale.ROOT, "time: load %.1f ms, predict %d windows %.2f ms (first call, before the JIT has"
                + " compiled the SIMD kernels), %.3f ms (warm: median call after model.warmUp and %.1f s more)%n",
                (t1 - t0) / 1e6, n, (t2 - t1) / 1e6, warmMs, WARMUP_NANOS / 1e9);
        if (!ok) {
            throw new CliException(ExitCode.FAILURE, "jkeras differs from Keras beyond the tolerance at "
                    + demo.firstTargetMonth().plusMonths(worst) + ": jkeras " + java[worst] + ", Keras " + keras[worst]
                    + " (scaled)");
        }
        return ExitCode.OK;
    }

    private static double rmse(double sumSquares, int count) {
        return count == 0 ? Double.NaN : Math.sqrt(sumSquares / count);
    }

    private static String row(String... cells) {
        StringBuilder b = new StringBuilder(Text.pad(cells[0], WIDTHS[0])).append(Text.pad(cells[1], WIDTHS[1]));
        for (int c = 2; c < cells.length; c++) {
            b.append(Text.padLeft(cells[c], WIDTHS[c]));
        }
        return b.toString();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file is harmless; the OS cleans its temp directory
        }
    }

    private static final long WARMUP_NANOS = 1_000_000_000L;

    /**
     * The median time of a call once warm. The first calls run the Vector API kernels in the
     * interpreter, which is orders of magnitude slower; services see the warm figure.
     */
    private static double warmCallMillis(Model model, Tensor windows) {
        model.warmUp(windows.dim(0), windows.dim(1)); // what a service calls at start-up
        long end = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < end) {
            model.predict(List.of(windows));
        }
        long[] times = new long[21];
        for (int i = 0; i < times.length; i++) {
            long s = System.nanoTime();
            model.predict(List.of(windows));
            times[i] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2] / 1e6;
    }
}
