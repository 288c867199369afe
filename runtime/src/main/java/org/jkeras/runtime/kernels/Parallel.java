package org.jkeras.runtime.kernels;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Fork-join of a few equal tasks for the training kernels: {@link #run} calls {@code body(0..tasks-1)}, task 0
 * on the calling thread and the rest on a JVM-wide pool of daemon threads ({@code jkeras-train-N}, created on
 * demand, idle ones exit after a minute), and returns when all are done. A task no pool thread has started yet
 * is run by the caller itself, so a call always completes, even from inside a task or with the pool saturated.
 *
 * <p>Determinism is the callers' part: every use cuts work so that each output element is computed by exactly
 * one task with the same float operations in the same order as with one thread (batch rows of a recurrence,
 * rows of a product, column panels of a weight gradient), so results are bit-identical for any thread count.
 */
final class Parallel {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, 256, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "jkeras-train-" + COUNT.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy()); // a rejected helper is harmless: the caller runs its task

    private Parallel() {
    }

    /**
     * Runs {@code body.accept(i)} for i = 0..tasks-1, concurrently when {@code tasks > 1}; rethrows the first
     * failure after all tasks have ended.
     */
    static void run(int tasks, IntConsumer body) {
        if (tasks <= 1) {
            if (tasks == 1) {
                body.accept(0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger remaining = new AtomicInteger(tasks);
        Throwable[] failure = new Throwable[1];
        Thread caller = Thread.currentThread();
        Runnable worker = () -> {
            int i;
            while ((i = next.getAndIncrement()) < tasks) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = t;
                        }
                    }
                } finally {
                    if (remaining.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        };
        for (int k = 1; k < tasks; k++) {
            POOL.execute(worker);
        }
        worker.run();
        while (remaining.get() > 0) {
            LockSupport.park(Parallel.class);
        }
        synchronized (failure) {
            if (failure[0] instanceof RuntimeException e) {
                throw e;
            }
            if (failure[0] instanceof Error e) {
                throw e;
            }
            if (failure[0] != null) {
                throw new IllegalStateException(failure[0]);
            }
        }
    }

    /**
     * Multiply-adds below which a part is not worth a thread: waking a parked pool thread and joining it costs
     * ~20 µs on a 2-vCPU VM (S2 at batch 1 lost 20 % to 4 small splits per step), 2^21 FMAs take about that long.
     */
    static final double MIN_WORK = 1 << 21;
    private static volatile double minWork = MIN_WORK; // tests lower it to split even tiny shapes

    /**
     * How many parts to cut {@code work} multiply-adds into: at most {@code threads} and {@code maxParts}, and
     * none smaller than {@link #MIN_WORK}; at least 1. Depends only on sizes, never on timing, so results stay
     * reproducible (and they are the same for any count anyway).
     */
    static int parts(int threads, int maxParts, double work) {
        int byWork = (int) Math.min(Integer.MAX_VALUE, work / minWork);
        return Math.max(1, Math.min(Math.min(threads, maxParts), byWork));
    }

    /** For tests: the smallest work worth a part ({@link #MIN_WORK} by default; 0 splits everything). */
    static void setMinWork(double work) {
        minWork = work;
    }

    /** Start of part {@code i} of {@code parts} near-equal contiguous parts of {@code n} (i = parts gives n). */
    static int start(int n, int parts, int i) {
        return (int) ((long) n * i / parts);
    }
}
