package org.jkeras.runtime.kernels;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Test setup shared by the split tests: every recurrence splits however small (thresholds 0), up to 4 parts, helpers
 * take part however loaded the machine is, and every part a helper claims is counted.
 */
final class SplitEverything {
    /** Parts claimed by helper threads since the JVM started (the tests compare before and after). */
    static final AtomicLong HELPER_PARTS = new AtomicLong();

    private SplitEverything() {
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
