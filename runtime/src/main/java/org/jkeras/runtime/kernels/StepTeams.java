package org.jkeras.runtime.kernels;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JVM-wide pool of {@link StepTeam}s. A caller takes a free team of the size it asks for, or gets none
 * and runs on its own thread (same results): with many concurrent callers the cores are busy anyway, so
 * nobody waits for a team. At most {@link #maxHelpers()} helper threads exist in all teams together (one
 * per core beyond the first by default), so concurrent callers never oversubscribe the machine with spinners.
 * Acquire and release allocate nothing.
 */
final class StepTeams {
    private static final int SLOTS = 64;
    private static final AtomicReferenceArray<StepTeam> TEAMS = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicReferenceArray<Object> BUSY = new AtomicReferenceArray<>(SLOTS);
    private static final Object TAKEN = new Object();
    /** Layer calls that ran split or paired, for {@link Kernels#splitLayerCalls()}: one per call, not per step. */
    private static final AtomicLong SPLIT_CALLS = new AtomicLong();
    private static volatile int maxHelpers = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    private StepTeams() {
    }

    /** The most helper threads all teams may hold together. */
    static int maxHelpers() {
        return maxHelpers;
    }

    /** For tests: changes {@link #maxHelpers()} (teams already made are kept). */
    static void setMaxHelpers(int helpers) {
        maxHelpers = helpers;
    }

    /**
     * A team for one split layer call, owned by the caller until {@link #release}: null when none is free, or when
     * recent calls lost time to a descheduled helper (the cores are busy: the caller then runs alone).
     */
    static StepTeam acquireForSplit(int parts) {
        StepTeam team = acquire(parts);
        if (team != null && team.runAlone()) {
            release(team);
            return null;
        }
        return team;
    }

    /**
     * Runs one split layer call ({@code phases} phases of {@code job}) on a team from {@link #acquireForSplit} and
     * counts it ({@link #splitCalls}). On a failure the calling thread's {@link Workspace} is dropped: a stalled
     * helper may still write into its arrays. The caller still releases the team.
     */
    static void runSplit(StepTeam team, StepTeam.Job job, int phases) {
        try {
            team.run(job, phases);
        } catch (RuntimeException | Error e) {
            Workspace.get().discard();
            throw e;
        }
        SPLIT_CALLS.incrementAndGet();
    }

    /** Layer calls that ran on a team since the JVM started ({@link Kernels#splitLayerCalls()}). */
    static long splitCalls() {
        return SPLIT_CALLS.get();
    }

    /**
     * A free, usable team of {@code parts} parts, now owned by the caller until {@link #release}; or null when
     * none is free and no new one may be made.
     */
    static StepTeam acquire(int parts) {
        for (int i = 0; i < SLOTS; i++) {
            StepTeam t = TEAMS.get(i);
            if (t != null && t.parts == parts && BUSY.compareAndSet(i, null, TAKEN)) {
                if (TEAMS.get(i) == t && t.usable()) {
                    return t;
                }
                if (TEAMS.compareAndSet(i, t, null)) { // a dead or retired team: drop it
                    t.retire();
                }
                BUSY.set(i, null);
            }
        }
        return create(parts);
    }

    /** Hands a team back (a broken one is dropped). */
    static void release(StepTeam team) {
        for (int i = 0; i < SLOTS; i++) {
            if (TEAMS.get(i) == team) {
                if (!team.usable() && TEAMS.compareAndSet(i, team, null)) {
                    team.retire();
                }
                BUSY.set(i, null);
                return;
            }
        }
    }

    private static synchronized StepTeam create(int parts) {
        int helpers = 0;
        int free = -1;
        for (int i = 0; i < SLOTS; i++) {
            StepTeam t = TEAMS.get(i);
            if (t == null) {
                if (free < 0 && BUSY.get(i) == null) {
                    free = i;
                }
            } else if (t.usable()) {
                helpers += t.parts - 1;
            }
        }
        if (free < 0 || helpers + parts - 1 > maxHelpers || !BUSY.compareAndSet(free, null, TAKEN)) {
            return null;
        }
        StepTeam t = new StepTeam(parts);
        TEAMS.set(free, t);
        return t;
    }

    /** For tests: retires and forgets every idle team. */
    static synchronized void clear() {
        for (int i = 0; i < SLOTS; i++) {
            StepTeam t = TEAMS.get(i);
            if (t != null && BUSY.compareAndSet(i, null, TAKEN)) {
                TEAMS.set(i, null);
                t.retire();
                BUSY.set(i, null);
            }
        }
    }
}
