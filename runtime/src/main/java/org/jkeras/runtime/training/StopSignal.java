package org.jkeras.runtime.training;

/**
 * Stops a running {@link Fit} from another thread: the fit finishes its current step, runs the
 * end-of-training callbacks and returns the model trained so far. Thread-safe.
 */
public final class StopSignal {
    private volatile boolean stopped;

    /** A signal not yet given. */
    public StopSignal() {
    }

    /** Asks the fit to stop after its current step. */
    public void stop() {
        stopped = true;
    }

    /**
     * True once {@link #stop()} was called.
     *
     * @return true once any thread called {@link #stop()}; never reset
     */
    public boolean isStopped() {
        return stopped;
    }
}
