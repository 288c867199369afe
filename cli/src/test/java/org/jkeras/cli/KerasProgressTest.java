package org.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's progress output, character for character, on a fake clock: the expected strings are what Keras's
 * {@code Progbar} (keras/src/utils/progbar.py, verbose 1 and 2) prints for the same times and logs.
 */
class KerasProgressTest {
    private static final String BAR = "━".repeat(20);

    private static Map<String, Double> logs(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    /** Runs two epochs of three steps, the clock reading the given milliseconds in turn. */
    private static String run(KerasProgress.Mode mode, boolean color, long... millis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Deque<Long> clock = new ArrayDeque<>(Arrays.stream(millis).boxed().toList());
        KerasProgress p = new KerasProgress(out, mode, color, 4, null, () -> clock.removeFirst() * 1_000_000L);
        p.begin(2, 3, 3);
        for (int e = 0; e < 2; e++) {
            p.onEpochBegin(e, null);
            p.onBatchEnd(e, 0, logs("loss", 12.5, "mae", 0.0005), null);
            p.onBatchEnd(e, 1, logs("loss", 1.0, "mae", 0.0005), null);
            p.onBatchEnd(e, 2, logs("loss", 0.25, "mae", 0.0005), null);
            p.onEpochEnd(e, logs("loss", 0.25, "mae", 0.0005, "val_loss", -0.5), null);
        }
        assertEquals(0, clock.size(), "clock readings left");
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesAreKerasVerbose2() {
        // epoch 1: start 0, steps at 100, 150, 200 ms, end at 250: (250 - 100) / 2 = 75 ms per step
        // epoch 2: start 1000, steps at 1100, 3100, 3200, end at 3300: 1100 ms per step, 2.3 s elapsed
        String out = run(KerasProgress.Mode.LINES, false, 0, 100, 150, 200, 250, 1000, 1100, 3100, 3200, 3300);
        assertEquals("""
                Train on 3 samples, validate on 1 samples
                Epoch 1/2
                3/3 - 0s - 75ms/step - loss: 0.2500 - mae: 5.0000e-04 - val_loss: -5.0000e-01
                Epoch 2/2
                3/3 - 2s - 1s/step - loss: 0.2500 - mae: 5.0000e-04 - val_loss: -5.0000e-01
                """, out);
    }

    @Test
    void barIsKerasVerbose1UpdatedInPlaceAtMostEvery50Ms() {
        // epoch 1: step 1 at 100 ms (drawn: 100 ms/step, ETA 0.2 s), step 2 at 120 (20 ms after the last
        // drawing: skipped), step 3 at 200 (drawn: (200 - 100) / 2 = 50 ms/step, padded over the longer frame
        // before), end at 300: 100 ms/step, 0 s elapsed, the epoch's logs with val_loss.
        // epoch 2: steps 40 s apart: ETA 80 s = 1:20 after the first step.
        String out = run(KerasProgress.Mode.BAR, false, 0, 100, 120, 200, 300,
                1000, 41_000, 81_000, 121_000, 121_000);
        String e1 = "\r1/3 " + BAR + " 0s 100ms/step - loss: 12.5000 - mae: 5.0000e-04"
                + "\r3/3 " + BAR + " 0s 50ms/step - loss: 0.2500 - mae: 5.0000e-04  "
                + "\r3/3 " + BAR + " 0s 100ms/step - loss: 0.2500 - mae: 5.0000e-04 - val_loss: -0.5000\n";
        String e2 = "\r1/3 " + BAR + " 1:20 40s/step - loss: 12.5000 - mae: 5.0000e-04"
                + "\r2/3 " + BAR + " 40s 40s/step - loss: 1.0000 - mae: 5.0000e-04  "
                + "\r3/3 " + BAR + " 0s 40s/step - loss: 0.2500 - mae: 5.0000e-04 "
                + "\r3/3 " + BAR + " 120s 40s/step - loss: 0.2500 - mae: 5.0000e-04 - val_loss: -0.5000\n";
        assertEquals("Train on 3 samples, validate on 1 samples\nEpoch 1/2\n" + e1 + "Epoch 2/2\n" + e2, out);
    }

    @Test
    void barColoursAreKerasAnsiCodes() {
        String out = run(KerasProgress.Mode.BAR, true, 0, 100, 120, 200, 300, 1000, 1100, 1200, 1300, 1400);
        String first = out.split("\n")[2].split("\r")[1];
        assertEquals("\u001b[1m1/3\u001b[0m \u001b[32m" + "━".repeat(6) + "\u001b[0m\u001b[37m" + "━".repeat(14)
                + "\u001b[0m \u001b[1m0s\u001b[0m 100ms/step - loss: 12.5000 - mae: 5.0000e-04", first);
    }

    @Test
    void nothingInJsonMode() {
        assertEquals("", run(KerasProgress.Mode.NONE, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    }

    @Test
    void numbersAndTimesAsKerasFormatsThem() {
        assertEquals("0.0123", KerasProgress.number(0.0123, true));
        assertEquals("5.0000e-04", KerasProgress.number(0.0005, true));
        assertEquals("1.0000e-03", KerasProgress.number(0.001, false));
        assertEquals("-0.5000", KerasProgress.number(-0.5, true));
        assertEquals("-5.0000e-01", KerasProgress.number(-0.5, false)); // verbose=2 compares the signed value
        assertEquals("0.0000e+00", KerasProgress.number(0, true));
        assertEquals("1234.5678", KerasProgress.number(1234.5678, true));
        assertEquals("nan", KerasProgress.number(Double.NaN, false));
        assertEquals("inf", KerasProgress.number(Double.POSITIVE_INFINITY, true));
        assertEquals("3s", KerasProgress.eta(3.9));
        assertEquals("1:15", KerasProgress.eta(75.5));
        assertEquals("1:01:40", KerasProgress.eta(3700));
        assertEquals(" 75ms/step", KerasProgress.stepTime(0.075));
        assertEquals(" 400us/step", KerasProgress.stepTime(0.0004));
        assertEquals(" 2s/step", KerasProgress.stepTime(2.4));
        assertEquals(" 0s/step", KerasProgress.stepTime(0));
    }
}
