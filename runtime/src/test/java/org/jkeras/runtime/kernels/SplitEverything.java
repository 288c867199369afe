package org.jkeras.runtime.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jkeras.runtime.tensor.Activation;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Test setup shared by the split tests: every recurrence splits however small (thresholds 0), up to 4 parts, helpers
 * take part however loaded the machine is, and every part a helper claims is counted.
 */
final class SplitEverything {
    /** Parts claimed by helper threads since the JVM started (the tests compare before and after). */
    static final AtomicLong HELPER_PARTS = new AtomicLong();

    /** Sequence shapes every split test runs, each {in, steps, chunk steps}: odd sizes, one step, chunk edges. */
    static final int[][] SHAPES = {{5, 7, 3}, {13, 1, 1}, {2, 4, 1}, {8, 50, 1000}, {64, 9, 2}};

    private SplitEverything() {
    }

    /**
     * The cases of a split test of one recurrence: each unit count with each of {@link #SHAPES}, and a mix of thread
     * counts (2 to 4), carried or zero state, sequences or not, and tanh or relu.
     *
     * @return arguments (units, in, steps, chunk steps, threads, carried, sequences, activation)
     */
    static Stream<Arguments> cases(int... units) {
        List<Arguments> list = new ArrayList<>();
        int i = 0;
        for (int u : units) {
            for (int[] s : SHAPES) {
                list.add(Arguments.of(u, s[0], s[1], s[2], 2 + i % 3, i % 2 == 0, i % 3 != 1,
                        i % 4 == 3 ? Activation.RELU : Activation.TANH));
                i++;
            }
        }
        return list.stream();
    }

    /** From a {@code @BeforeAll}. */
    static void on() {
        SplitLstm.setThresholds(0, 0);
        StepTeams.setMaxHelpers(3);
        StepTeam.helperClaimHook = (phase, part) -> HELPER_PARTS.incrementAndGet();
        StepTeam.backOff = false;
    }

    /** From an {@code @AfterAll}: the defaults back, idle teams dropped. */
    static void off() {
        SplitLstm.setThresholds(SplitLstm.MIN_CALL_FMAS, SplitLstm.MIN_PART_STEP_FMAS);
        StepTeams.setMaxHelpers(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        StepTeam.helperClaimHook = null;
        StepTeam.backOff = true;
        StepTeams.clear();
    }
}
