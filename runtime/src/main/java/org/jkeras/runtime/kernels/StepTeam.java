package org.jkeras.runtime.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A caller thread and a few pinned-by-habit helper threads that run one job of many short phases together,
 * joined by a spin barrier after each phase: the batch-1 recurrence, where a phase is one time step and each
 * part a slice of the gate columns (about a microsecond of work). A thread-pool hand-off per step (submit +
 * join, ~8 µs on a 2-vCPU VM) would cost more than the step; a spinning helper picks a phase up in ~100 ns.
 *
 * <p>Protocol. Part q of phase φ is claimed by a CAS of {@code claims[q]} from {@code (gen, φ)} to
 * {@code (gen, φ+1)} (gen = the job's generation in the high 32 bits), so it runs exactly once; whoever
 * finishes it adds 1 to {@code done} (also stamped with gen). A thread moves to phase φ+1 once
 * {@code done} counts all parts of φ. Each thread tries its own part first (so each core keeps streaming the
 * same slice of the weights, which stays in its own L2), then steals the parts nobody has claimed yet: a
 * helper that is parked, descheduled or dead when a call starts costs the call its parallelism, never
 * progress. The caller always runs every phase to the end itself. Stale threads (a helper that wakes up after
 * its job ended) can claim nothing: every CAS carries the generation, and a job ends only when every part of
 * every phase has been claimed and done.
 *
 * <p>Waiting never hangs: a bounded spin ({@link Thread#onSpinWait}), then {@link Thread#yield}, then timed
 * parks that re-check. A part that throws fails the job: the others stop at the next phase, the caller waits
 * until no part is running and rethrows. A helper found dead while the job waits on a part it claimed fails
 * the job with an {@link IllegalStateException} and breaks the team (it is never handed out again). Helpers are
 * daemon threads; between jobs they spin briefly, then park, and exit after {@link #KEEP_ALIVE_NANOS} idle.
 */
final class StepTeam {
    /** One job: {@code run(phase, part)} for every phase in order and every part of it. */
    interface Job {
        /** Runs part {@code part} of {@code phase}; every part of the previous phase has completed. */
        void run(int phase, int part);
    }

    /** Busy-spin this long for the next phase before yielding (a phase is ~1 µs; a barrier ~0.1 µs). */
    static final long PHASE_SPIN_NANOS = 50_000;
    /** Then yield this long before falling back to timed parks. */
    static final long PHASE_YIELD_NANOS = 1_000_000;
    /** Timed park between re-checks once spinning and yielding gave up (a helper descheduled mid-part). */
    static final long PARK_NANOS = 20_000;
    /** A helper spins this long after a job for the next one (the next layer of the same call comes µs later). */
    static final long IDLE_SPIN_NANOS = 100_000;
    /** A helper parked this long without a job exits. */
    static final long KEEP_ALIVE_NANOS = 30_000_000_000L;

    private static final AtomicInteger IDS = new AtomicInteger();

    /**
     * Test hook: runs on a helper right after it claimed a part, outside the part's error handling, so what it
     * throws kills the helper while it holds the part (a thread dying mid-step); it may also stall.
     */
    static volatile Job helperClaimHook;
    /**
     * A phase that has not completed after this long with its parts held by live helpers fails the job (a helper
     * stuck in a part; no step of a layer takes seconds). Settable for tests.
     */
    static volatile long stallNanos = 60_000_000_000L;

    final int parts;
    private final Thread[] helpers;
    private final AtomicLongArray claims;
    private final AtomicLong done = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLongArray helperParked; // 1 while helper q-1 is parked between jobs
    private volatile long current;              // generation of the job in progress (or last done)
    private volatile Job job;
    private volatile int phases;
    private volatile long failedGen = -1;
    private volatile Throwable failure;
    private volatile boolean broken;
    private volatile boolean retired;
    private long nextGen = 1;                   // written only by the thread holding the team

    /** A team of {@code parts - 1} helper threads, started now. */
    StepTeam(int parts) {
        if (parts < 2) {
            throw new IllegalArgumentException("a step team needs at least 2 parts, got " + parts);
        }
        this.parts = parts;
        this.claims = new AtomicLongArray(parts);
        this.helperParked = new AtomicLongArray(parts);
        this.helpers = new Thread[parts - 1];
        for (int i = 0; i < helpers.length; i++) {
            int part = i + 1;
            Thread t = new Thread(() -> helperLoop(part), "jkeras-step-" + IDS.incrementAndGet());
            t.setDaemon(true); // never keeps the JVM alive
            helpers[i] = t;
        }
        for (Thread t : helpers) {
            t.start();
        }
    }

    /** False once a helper has died or retired: the pool drops the team and makes a new one. */
    boolean usable() {
        if (broken || retired) {
            return false;
        }
        for (Thread t : helpers) {
            if (!t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Asks the helpers to exit (they finish any part they hold first); for tests and pool trimming. */
    void retire() {
        retired = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }

    /** The helper threads, for tests. */
    Thread[] helpers() {
        return helpers.clone();
    }

    /**
     * Runs {@code job} over {@code phaseCount} phases on the calling thread (part 0 first) and the helpers; returns
     * when every part of every phase has run. One caller at a time (the pool hands a team to one caller).
     *
     * @throws RuntimeException or Error: what a part threw, once no part is running any more
     * @throws IllegalStateException when a helper died or stalled holding a part; the team is then broken and a
     *                               helper may still write into the job's arrays, so the caller must drop them
     */
    void run(Job body, int phaseCount) {
        long gen = nextGen++;
        job = body;
        phases = phaseCount;
        failure = null;
        for (int q = 0; q < parts; q++) {
            claims.set(q, stamp(gen, 0));
        }
        done.set(stamp(gen, 0));
        current = gen; // publishes the fields above to the helpers
        for (int i = 0; i < helpers.length; i++) {
            if (helperParked.get(i + 1) != 0) {
                LockSupport.unpark(helpers[i]);
            }
        }
        boolean interrupted = false;
        try {
            interrupted = work(gen, body, phaseCount, 0, true);
        } finally {
            if (failedGen == gen) {
                awaitNoPartRunning();
            }
            job = null; // drop the caller's arrays
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failedGen == gen) {
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("a jkeras step thread failed: " + t, t);
        }
    }

    /**
     * Runs phases from the current one to the end of job {@code gen}, or until it fails or ends (a helper
     * that came late). Returns whether the caller's interrupt flag was cleared on the way.
     */
    private boolean work(long gen, Job body, int phaseCount, int own, boolean caller) {
        boolean interrupted = false;
        for (int phase = 0; phase < phaseCount; phase++) {
            long d = done.get();
            if (gen(d) != gen || failedGen == gen) {
                return interrupted; // a stale helper: the job is over
            }
            phase = Math.max(phase, count(d) / parts); // a late helper jumps to the phase in progress
            if (phase >= phaseCount) {
                return interrupted;
            }
            for (int i = 0; i < parts; i++) {
                int q = (own + i) % parts;
                if (claims.compareAndSet(q, stamp(gen, phase), stamp(gen, phase + 1))) {
                    Job hook = helperClaimHook;
                    if (!caller && hook != null) {
                        hook.run(phase, q);
                    }
                    runPart(gen, body, phase, q);
                }
            }
            interrupted |= awaitPhase(gen, phase, caller);
        }
        return interrupted;
    }

    private void runPart(long gen, Job body, int phase, int part) {
        running.incrementAndGet();
        try {
            if (failedGen != gen) {
                body.run(phase, part);
            }
        } catch (Throwable t) {
            fail(gen, t);
        } finally {
            running.decrementAndGet();
            done.incrementAndGet();
        }
    }

    private synchronized void fail(long gen, Throwable t) {
        if (failedGen != gen) {
            failure = t;
            failedGen = gen;
        }
    }

    /** Waits until every part of {@code phase} is done, the job failed, or (helpers) it ended. */
    private boolean awaitPhase(long gen, int phase, boolean caller) {
        long target = stamp(gen, (phase + 1) * parts);
        if (done.get() >= target) {
            return false;
        }
        boolean interrupted = false;
        long start = System.nanoTime();
        for (int spins = 0; ; spins++) {
            long d = done.get();
            if (d >= target || gen(d) != gen || failedGen == gen) {
                return interrupted;
            }
            if ((spins & 63) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long waited = System.nanoTime() - start;
            if (waited < PHASE_SPIN_NANOS) {
                Thread.onSpinWait();
            } else if (waited < PHASE_SPIN_NANOS + PHASE_YIELD_NANOS) {
                Thread.yield();
            } else {
                if (caller && someHelperDied()) {
                    broken = true;
                    fail(gen, new IllegalStateException("a jkeras step thread died while it held part of a"
                            + " time step; the prediction is abandoned (the team is discarded, the next call"
                            + " starts a new one)"));
                    return interrupted;
                }
                if (caller && waited > stallNanos) {
                    broken = true;
                    fail(gen, new IllegalStateException("a jkeras step thread has held part of a time step for "
                            + waited / 1_000_000 + " ms; the prediction is abandoned (the team is discarded)"));
                    return interrupted;
                }
                LockSupport.parkNanos(this, PARK_NANOS);
                if (Thread.interrupted()) { // a wait of microseconds is not cancellable; keep the flag for later
                    interrupted = true;
                }
            }
        }
    }

    /**
     * After a failure: lets a part still running on a live helper finish before the caller reuses its arrays
     * (not after a stall or a death: the team is broken and the caller drops its arrays instead).
     */
    private void awaitNoPartRunning() {
        long start = System.nanoTime();
        while (running.get() > 0 && !broken) {
            if (System.nanoTime() - start < PHASE_SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
    }

    private boolean someHelperDied() {
        for (Thread t : helpers) {
            if (!t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    private void helperLoop(int part) {
        long seen = 0;
        try {
            while (!retired) {
                long gen = awaitJob(seen, part);
                if (gen == seen) {
                    return; // retired, or idle too long
                }
                seen = gen;
                Job body = job;      // a newer job's body at worst: then every claim stamped gen fails
                int count = phases;
                if (body != null) {
                    work(gen, body, count, part, false);
                }
            }
        } finally {
            broken = true; // however it ends, this team is not handed out again
        }
    }

    /** Spins, then parks, until a job newer than {@code seen} starts; returns {@code seen} to exit. */
    private long awaitJob(long seen, int part) {
        long start = System.nanoTime();
        for (int spins = 0; ; spins++) {
            long gen = current;
            if (gen != seen) {
                return gen;
            }
            if (retired) {
                return seen;
            }
            if ((spins & 63) != 0 || System.nanoTime() - start < IDLE_SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            helperParked.set(part, 1);
            long parkedAt = System.nanoTime();
            while (current == seen && !retired) {
                LockSupport.parkNanos(this, 1_000_000_000L);
                if (System.nanoTime() - parkedAt > KEEP_ALIVE_NANOS && current == seen) {
                    retired = true; // idle: the pool will start a new team when one is needed
                }
            }
            helperParked.set(part, 0);
            start = System.nanoTime();
        }
    }

    private static long stamp(long gen, int count) {
        return gen << 32 | count;
    }

    private static long gen(long stamped) {
        return stamped >>> 32;
    }

    private static int count(long stamped) {
        return (int) stamped;
    }
}
