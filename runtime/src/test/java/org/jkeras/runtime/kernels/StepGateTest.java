package org.jkeras.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The pipeline's hand-off never hangs its reader: rows published on another thread release it, a writer that
 * failed stops it at once, and a writer that makes no progress fails it after {@link StepTeam#stallNanos}.
 */
class StepGateTest {
    @Test
    void rowsPublishedOnAnotherThreadReleaseTheReader() throws Exception {
        StepGate gate = new StepGate();
        gate.reset();
        Thread writer = new Thread(() -> {
            for (int r = 1; r <= 1000; r++) {
                gate.publish(r);
            }
        });
        writer.start();
        assertDoesNotThrow(() -> gate.await(1000));
        writer.join();
    }

    @Test
    void aFailedWriterStopsTheReaderInsteadOfLeavingItWaiting() {
        StepGate gate = new StepGate();
        gate.reset();
        gate.publish(3);
        gate.await(3); // what is there is read
        gate.fail();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gate.await(4));
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
    }

    @Test
    void aWriterWithoutProgressFailsTheWaitAfterTheStallBound() {
        long saved = StepTeam.stallNanos;
        StepTeam.stallNanos = 20_000_000L; // 20 ms
        try {
            StepGate gate = new StepGate();
            gate.reset();
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> gate.await(1));
            assertTrue(e.getMessage().contains("no progress"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "the wait must end soon after the bound");
        } finally {
            StepTeam.stallNanos = saved;
        }
    }
}
