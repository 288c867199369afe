package org.jkeras.runtime.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A caller thread and a few helper threads that run one job of many short phases together, joined by a spin
 * barrier after each phase: the batch-1 recurrence, where a phase is one time step and each part a slice of the
 * gate columns (about a microsecond of work). A thread-pool hand-off per step (submit + join, ~8 µs on a 2-vCPU
 * VM) would cost more than the step; a spinning helper sees a phase end within a cache-line transfer.
 *
 * <p>Protocol. Every part q has a claim slot and a done slot, each on its own pair of cache lines, holding
 * {@code (gen, phases)} (the job's generation in the high 32 bits). Part q of phase φ is claimed by a CAS of its
 * claim slot from {@code (gen, φ)} to {@code (gen, φ+1)}, so it runs exactly once; whoever ran it then stores
 * {@code (gen, φ+1)} in its done slot. A thread moves to phase φ+1 once every done slot says φ+1. Part q is
 * normally run by thread q, so each core keeps streaming the same slice of the weights (it stays in its own L2)
 * and a barrier costs one line transfer each way; a thread takes another part only when that part's thread has
 * not joined the job yet or is late, so a helper that is parked, descheduled or dead when a call starts costs
 * the call its parallelism, never progress. The caller always runs every phase to the end itself. Stale threads
 * (a helper that wakes up after its job ended) can claim nothing: every CAS carries the generation, and a job
 * ends only when every part of every phase has been claimed and done.
 *
 * <p>Waiting never hangs: a bounded spin ({@link Thread#onSpinWait}), then {@link Thread#yield}, then timed parks
 * that re-check. A part that throws fails the job: the others stop at the next phase, the caller waits until no
 * part is running and rethrows. A helper found dead (or stuck past {@link #stallNanos}) while the job waits on a
 * part it claimed fails the job with an {@link IllegalStateException} and breaks the team (it is never handed out
 * again). Helpers are daemon threads; between jobs they spin briefly, then park, and exit after
 * {@link #KEEP_ALIVE_NANOS} idle.
 *
 * <p>Shared machines: when the caller spent more than half of a call waiting for helpers' parts (a helper lost
 * its core to another process; a one-phase job: any wait past {@link #PHASE_SPIN_NANOS}), or ran more than a quarter
 * of the helpers' parts itself (they were not on a core in time),
 * {@link #runAlone()} tells the next calls to run on the caller alone, for a number of calls that
 * doubles after each such call (up to {@link #MAX_BACKOFF}) and halves after a clean one. Splitting then costs
 * little when the cores are busy and pays again when they are free.
 */
final class StepTeam {
    /** One job: {@code run(phase, part)} for every phase in order and every part of it. */
    interface Job {
        /** Runs part {@code part} of {@code phase}; every part of the previous phase has completed. */
        void run(int phase, int part);
    }

    /** Spins before a waiting thread takes a part whose own thread has joined but not claimed it yet. */
    static final int STEAL_SPINS = 1 << 9;
    /** Busy-spin this long for a phase to end before yielding (a phase is ~1-20 µs). */
    static final long PHASE_SPIN_NANOS = 50_000;
    /** Then yield this long before falling back to timed parks. */
    static final long PHASE_YIELD_NANOS = 1_000_000;
    /** Timed park between re-checks once spinning and yielding gave up (a helper descheduled mid-part). */
    static final long PARK_NANOS = 20_000;
    /** A helper spins this long after a job for the next one (the next layer of the same call comes µs later). */
    static final long IDLE_SPIN_NANOS = 100_000;
    /** A helper parked this long without a job exits. */
    static final long KEEP_ALIVE_NANOS = 30_000_000_000L;
    /** The most calls in a row {@link #runAlone()} sends to the caller alone after contended calls. */
    static final int MAX_BACKOFF = 1024;
    /** Longs between two slots: 128 bytes, so no two slots share a line or an adjacent-line prefetch pair. */
    private static final int PAD = 16;

    private static final AtomicInteger IDS = new AtomicInteger();

    /**
     * Test hook: runs on a helper right after it claimed a part, outside the part's error handling, so what it
     * throws kills the helper while it holds the part (a thread dying mid-step); it may also stall.
     */
    static volatile Job helperClaimHook;
    /** Test hook: runs on a helper when it sees a new job, before it reads the job (a helper that comes late). */
    static volatile Runnable helperWakeHook;
    /** Test hook: runs on the caller after it wrote the job's body, before it resets the slots. */
    static volatile Runnable publishHook;
    /**
     * A phase that has not completed after this long with its parts held by live helpers fails the job (a helper
     * stuck in a part; no step of a layer takes seconds). Settable for tests.
     */
    static volatile long stallNanos = 60_000_000_000L;
    /** For tests that need the helpers to take part whatever the machine's load: false turns the backoff off. */
    static volatile boolean backOff = true;

    final int parts;
    private final Thread[] helpers;
    private final AtomicLongArray slots;        // per part q: claim, done and joined slots (see claim(q))
    private volatile long current;              // generation of the job in progress (or last done)
    private volatile long publishing;           // generation whose job/phases are being written (see joinJob)
    private volatile Job job;
    private volatile int phases;
    private volatile long failedGen = -1;
    private volatile Throwable failure;
    private volatile boolean broken;
    private volatile boolean retired;
    private long nextGen = 1;                   // the fields below: only the thread holding the team
    private int backoff;
    private int skip;
    private boolean contended;
    private int callerSteals;
    private long callerWaitNanos; // the caller's time spent waiting for other parts in this call

    /** A team of {@code parts - 1} helper threads, started now. */
    StepTeam(int parts) {
        if (parts < 2) {
            throw new IllegalArgumentException("a step team needs at least 2 parts, got " + parts);
        }
        this.parts = parts;
        this.slots = new AtomicLongArray(3 * parts * PAD + PAD);
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

    private static int claim(int q) {
        return (3 * q + 1) * PAD;
    }

    private static int done(int q) {
        return (3 * q + 2) * PAD;
    }

    private static int joined(int q) {
        return (3 * q + 3) * PAD;
    }

    private static int parked(int q) {
        return joined(q) + 1; // beside joined: both are written by helper q only, rarely
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
     * True when this call should run on the caller alone because recent calls waited long for a descheduled helper
     * (see the class comment); counts the call. For the thread holding the team.
     */
    boolean runAlone() {
        if (skip > 0 && backOff) {
            skip--;
            return true;
        }
        return false;
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
        publishing = gen; // before job and phases: a helper that reads them checks this is still its generation
        job = body;
        phases = phaseCount;
        Runnable hook = publishHook;
        if (hook != null) {
            hook.run();
        }
        failure = null;
        contended = false;
        callerSteals = 0;
        callerWaitNanos = 0;
        long began = System.nanoTime();
        for (int q = 0; q < parts; q++) {
            slots.set(claim(q), stamp(gen, 0));
            slots.set(done(q), stamp(gen, 0));
        }
        current = gen; // publishes the fields above to the helpers
        boolean woke = false;
        for (int i = 0; i < helpers.length; i++) {
            if (slots.get(parked(i + 1)) != 0) {
                LockSupport.unpark(helpers[i]);
                woke = true;
            }
        }
        boolean interrupted = false;
        try {
            interrupted = work(gen, body, phaseCount, 0, true);
        } finally {
            if (failedGen == gen) {
                awaitNoPartRunning(gen);
            }
            job = null; // drop the caller's arrays
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        // A one-phase job (PairRun) whose parked helper could not wake before the caller took its part says nothing
        // about load: the woken helper now spins for the next call, so backing off would only keep it parked.
        boolean sleeperOnly = woke && phaseCount == 1 && !contended;
        // Over many phases, a wait past PHASE_SPIN_NANOS now and then is the machine's own hiccup (a timer, another
        // tenant): L4's 100 phases of ~40 µs met one in most calls and ran alone. Back off when waiting ate half the
        // call, where 2 parts stop paying (S4's caller waits ~30 % of its call and gains 1.6x); a one-phase job has
        // no other measure of a late helper than its one wait.
        boolean lostTime = phaseCount == 1 ? contended : 2 * callerWaitNanos > System.nanoTime() - began;
        if (lostTime || (!sleeperOnly && 4L * callerSteals > (long) phaseCount * (parts - 1))) { // helpers < 3/4
            backoff = Math.min(MAX_BACKOFF, Math.max(1, 2 * backoff));
            skip = backoff;
        } else {
            backoff /= 2;
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
     * Runs phases from the current one to the end of job {@code gen}, or until it fails or ends (a helper that came
     * late). Returns whether the caller's interrupt flag was cleared on the way.
     */
    private boolean work(long gen, Job body, int phaseCount, int own, boolean caller) {
        boolean interrupted = false;
        if (!caller) {
            slots.set(joined(own), gen);
        }
        for (int phase = 0; phase < phaseCount; phase++) {
            int reached = Integer.MAX_VALUE; // a late helper jumps to the phase in progress
            for (int q = 0; q < parts; q++) {
                long d = slots.get(done(q));
                if (gen(d) != gen) {
                    return interrupted; // a stale helper: the job is over
                }
                reached = Math.min(reached, count(d));
            }
            phase = Math.max(phase, reached);
            if (phase >= phaseCount || failedGen == gen) {
                return interrupted;
            }
            tryPart(gen, body, phase, own, caller);
            interrupted |= awaitPhase(gen, body, phase, own, caller);
        }
        return interrupted;
    }

    /** Claims and runs part q of {@code phase} unless someone has; true when this thread ran it. */
    private boolean tryPart(long gen, Job body, int phase, int q, boolean caller) {
        int slot = claim(q);
        if (slots.get(slot) != stamp(gen, phase) || !slots.compareAndSet(slot, stamp(gen, phase), stamp(gen, phase + 1))) {
            return false;
        }
        Job hook = helperClaimHook;
        if (hook != null && !caller) {
            hook.run(phase, q);
        }
        try {
            if (failedGen != gen) {
                body.run(phase, q);
            }
        } catch (Throwable t) {
            fail(gen, t);
        } finally {
            slots.set(done(q), stamp(gen, phase + 1));
        }
        return true;
    }

    /** Adds the caller's wait since {@code start} (0: it was not waiting) to this call's {@link #callerWaitNanos}. */
    private void endWait(long start) {
        if (start != 0) {
            callerWaitNanos += System.nanoTime() - start;
        }
    }

    private synchronized void fail(long gen, Throwable t) {
        if (failedGen != gen) {
            failure = t;
            failedGen = gen;
        }
    }

    /**
     * Waits until every part of {@code phase} is done, the job failed, or (helpers) it ended; on the way takes
     * parts nobody has claimed: at once when their thread has not joined this job, after {@link #STEAL_SPINS}
     * otherwise.
     */
    private boolean awaitPhase(long gen, Job body, int phase, int own, boolean caller) {
        long target = stamp(gen, phase + 1);
        boolean interrupted = false;
        long start = 0;
        for (int spins = 0; ; spins++) {
            boolean all = true;
            for (int q = 0; q < parts; q++) {
                long d = slots.get(done(q));
                if (d >= target) {
                    continue;
                }
                if (gen(d) != gen) {
                    return interrupted;
                }
                all = false;
                if (q != own && (spins >= STEAL_SPINS || (q > 0 && slots.get(joined(q)) != gen))) {
                    if (tryPart(gen, body, phase, q, caller)) {
                        if (caller) {
                            callerSteals++;
                            endWait(start);
                        }
                        spins = 0;
                        start = 0; // the time spent working is no wait
                    }
                }
            }
            if (all || failedGen == gen) {
                if (caller) {
                    endWait(start);
                }
                return interrupted;
            }
            if ((spins & 63) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            }
            long waited = now - start;
            if (waited < PHASE_SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            if (caller) {
                contended = true;
            }
            if (waited < PHASE_SPIN_NANOS + PHASE_YIELD_NANOS) {
                Thread.yield();
                continue;
            }
            if (caller && someHelperDied()) {
                broken = true;
                fail(gen, new IllegalStateException("a jkeras step thread died while it held part of a time step;"
                        + " the prediction is abandoned (the team is discarded, the next call starts a new one)"));
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

    /**
     * After a failure: lets a part still running on a live helper finish before the caller reuses its arrays
     * (not after a stall or a death: the team is broken and the caller drops its arrays instead).
     */
    private void awaitNoPartRunning(long gen) {
        long start = System.nanoTime();
        while (!broken) {
            boolean running = false;
            for (int q = 0; q < parts; q++) {
                running |= slots.get(claim(q)) != slots.get(done(q));
            }
            if (!running) {
                return;
            }
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
                joinJob(gen, part);
            }
        } finally {
            broken = true; // however it ends, this team is not handed out again
        }
    }

    /**
     * Works on job {@code gen} unless it is already over. A helper that comes late may read the body and phase count
     * of the NEXT job while the claim slots still carry {@code gen}'s stamps; it would then run a part of the next
     * job under the old generation, early and a second time. So the caller writes {@link #publishing} before the
     * body and the helper reads it after: if it still says {@code gen}, the body and count read before it are
     * {@code gen}'s (a seqlock; no allocation per job).
     */
    private void joinJob(long gen, int part) {
        Runnable hook = helperWakeHook;
        if (hook != null) {
            hook.run();
        }
        Job body = job;
        int count = phases;
        if (publishing != gen || body == null) {
            return; // the job is over and the next one is being published: wait for it in awaitJob
        }
        work(gen, body, count, part, false);
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
            slots.set(parked(part), 1);
            long parkedAt = System.nanoTime();
            while (current == seen && !retired) {
                LockSupport.parkNanos(this, 1_000_000_000L);
                if (System.nanoTime() - parkedAt > KEEP_ALIVE_NANOS && current == seen) {
                    retired = true; // idle: the pool will start a new team when one is needed
                }
            }
            slots.set(parked(part), 0);
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
