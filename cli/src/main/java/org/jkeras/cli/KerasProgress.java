package org.jkeras.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jkeras.runtime.training.Callback;
import org.jkeras.runtime.training.FitProgress;

/**
 * Keras 3's {@code fit} output, as its {@code ProgbarLogger} and {@code Progbar} write it: {@code Epoch i/N}
 * before each epoch (when there are several), then either
 *
 * <ul>
 *   <li>{@link Mode#BAR} ({@code verbose=1}, on a terminal): a bar updated in place with {@code \r} after the
 *       steps (at most every 50 ms), {@code 12/40 ━━━━━━━━━━━━━━━━━━━━ 3s 75ms/step - loss: 0.0123} with the
 *       time left, and at the end of the epoch the elapsed time and the epoch's logs, {@code val_} entries
 *       included;</li>
 *   <li>{@link Mode#LINES} ({@code verbose=2}, for logs and pipes): one line per epoch,
 *       {@code 40/40 - 3s - 75ms/step - loss: 0.0123 - val_loss: 0.0456};</li>
 *   <li>{@link Mode#NONE}: nothing ({@code --json}).</li>
 * </ul>
 *
 * <p>Numbers are formatted as Keras formats them: {@code %.4f}, or {@code %.4e} at or below 1e-3 (the bar
 * compares the absolute value, the line the value itself, as Keras does); the time per step ignores the
 * first step once there are more (it includes compilation in Keras and JIT warm-up here). Before the first
 * epoch, once the fit has checked its data, come the caller's header line and the sample counts (Keras 2's
 * {@code Train on N samples, validate on M samples}).
 */
final class KerasProgress implements Callback {
    /** How progress is shown. */
    enum Mode { BAR, LINES, NONE }

    /** Keras's {@code Progbar} width. */
    static final int WIDTH = 20;
    private static final long INTERVAL_NS = 50_000_000L;
    private static final String BOLD = "\u001b[1m";
    private static final String GREEN = "\u001b[32m";
    private static final String WHITE = "\u001b[37m";
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final Mode mode;
    private final boolean color;
    private final LongSupplier nanoTime;
    private final int totalSamples;
    private final String header;
    private int epochs;
    private int steps;
    private int trainingSamples = -1;
    // per epoch, as one Keras Progbar
    private long start;
    private long afterFirstStep = -1;
    private long lastUpdate = Long.MIN_VALUE;
    private int previousWidth;
    private boolean midLine;

    /**
     * @param totalSamples the samples handed to the fit, before any validation split (for the first line)
     * @param header       a line printed when training begins, once the fit has checked its data, or null
     * @param nanoTime     the clock ({@code System::nanoTime}; tests pass a fake one)
     */
    KerasProgress(PrintStream out, Mode mode, boolean color, int totalSamples, String header, LongSupplier nanoTime) {
        this.out = out;
        this.mode = mode;
        this.color = color;
        this.totalSamples = totalSamples;
        this.header = header;
        this.nanoTime = nanoTime;
    }

    /** Training samples per epoch (after the validation split), known once the fit began; -1 before. */
    int trainingSamples() {
        return trainingSamples;
    }

    /** Training steps per epoch, known once the fit began. */
    int stepsPerEpoch() {
        return steps;
    }

    @Override
    public void onTrainBegin(FitProgress fit) {
        begin(fit.epochs(), fit.stepsPerEpoch(), fit.samples());
    }

    /** The fit's plan: what {@link #onTrainBegin} reads from it. */
    void begin(int epochs, int stepsPerEpoch, int samples) {
        this.epochs = epochs;
        this.steps = stepsPerEpoch;
        this.trainingSamples = samples;
        if (mode != Mode.NONE) {
            if (header != null) {
                out.println(header);
            }
            int validation = totalSamples - trainingSamples;
            out.println("Train on " + trainingSamples + " samples"
                    + (validation > 0 ? ", validate on " + validation + " samples" : ""));
        }
    }

    @Override
    public void onEpochBegin(int epoch, FitProgress fit) {
        start = nanoTime.getAsLong();
        afterFirstStep = -1;
        lastUpdate = Long.MIN_VALUE;
        previousWidth = 0;
        if (mode != Mode.NONE && epochs > 1) {
            out.println("Epoch " + (epoch + 1) + "/" + epochs);
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitProgress fit) {
        long now = nanoTime.getAsLong();
        int current = batch + 1;
        double perStep = stepDuration(current, now);
        if (mode != Mode.BAR || (lastUpdate != Long.MIN_VALUE && now - lastUpdate < INTERVAL_NS)) {
            return;
        }
        lastUpdate = now;
        bar(current, perStep, logs, now, false);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitProgress fit) {
        long now = nanoTime.getAsLong();
        double perStep = stepDuration(steps, now);
        switch (mode) {
            case BAR -> bar(steps, perStep, logs, now, true);
            case LINES -> out.println(line(logs, perStep, now));
            case NONE -> {
            }
        }
    }

    /** Ends a bar left half-drawn (a step failed), so an error does not continue it. */
    void abort() {
        if (midLine) {
            out.println();
            midLine = false;
        }
    }

    private void bar(int current, double perStep, Map<String, Double> logs, long now, boolean finalize) {
        String count = count(current);
        int done = (int) (WIDTH * ((double) current / steps));
        StringBuilder visible = new StringBuilder();
        StringBuilder b = new StringBuilder("\r");
        b.append(style(BOLD, count)).append(' ');
        visible.append(count).append(' ');
        if (done > 0) {
            b.append(style(GREEN, "━".repeat(done)));
        }
        b.append(style(WHITE, "━".repeat(WIDTH - done)));
        visible.append("━".repeat(WIDTH));
        String time = finalize ? String.format(Locale.ROOT, "%.0fs", seconds(now - start))
                : eta(perStep * (steps - current));
        String info = time + stepTime(perStep) + values(logs, true);
        b.append(' ').append(style(BOLD, time)).append(info.substring(time.length()));
        visible.append(' ').append(info);
        int width = visible.length();
        if (previousWidth > width) {
            b.append(" ".repeat(previousWidth - width));
        }
        previousWidth = width;
        if (finalize) {
            b.append('\n');
        }
        out.print(b);
        out.flush();
        midLine = !finalize;
    }

    /** Keras's {@code verbose=2} line. */
    private String line(Map<String, Double> logs, double perStep, long now) {
        return count(steps) + String.format(Locale.ROOT, " - %.0fs", seconds(now - start)) + " -" + stepTime(perStep)
                + values(logs, false);
    }

    private String count(int current) {
        int digits = (int) Math.log10(steps) + 1;
        return String.format(Locale.ROOT, "%" + digits + "d/%d", current, steps);
    }

    private String style(String code, String s) {
        return color ? code + s + RESET : s;
    }

    /** Keras's {@code _estimate_step_duration}: seconds per step, without the first step once there are more. */
    private double stepDuration(int current, long now) {
        if (current == 0) {
            return 0;
        }
        double perStep = afterFirstStep >= 0 && current > 1 ? seconds(now - afterFirstStep) / (current - 1)
                : seconds(now - start) / current;
        if (current == 1) {
            afterFirstStep = now;
        }
        return perStep;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Keras's ETA: {@code 1:02:03}, {@code 2:03} or {@code 42s}. */
    static String eta(double s) {
        long t = (long) s;
        if (s > 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t % 3600) / 60, t % 60);
        }
        if (s > 60) {
            return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
        }
        return t + "s";
    }

    /** Keras's {@code _format_time}: {@code " 2s/step"}, {@code " 75ms/step"}, {@code " 830us/step"}. */
    static String stepTime(double perStep) {
        if (perStep >= 1 || perStep == 0) {
            return String.format(Locale.ROOT, " %.0fs/step", perStep);
        }
        if (perStep >= 1e-3) {
            return String.format(Locale.ROOT, " %.0fms/step", perStep * 1e3);
        }
        return String.format(Locale.ROOT, " %.0fus/step", perStep * 1e6);
    }

    private static String values(Map<String, Double> logs, boolean bar) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            b.append(" - ").append(Text.safe(e.getKey())).append(": ").append(number(e.getValue(), bar));
        }
        return b.toString();
    }

    /** {@code %.4f} above 1e-3 (in absolute value for the bar, as Keras compares), else {@code %.4e}; nan, inf. */
    static String number(double v, boolean absolute) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double compared = absolute ? Math.abs(v) : v;
        return String.format(Locale.ROOT, compared > 1e-3 ? "%.4f" : "%.4e", v);
    }
}
