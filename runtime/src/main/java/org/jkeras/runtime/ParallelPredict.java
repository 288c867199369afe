package org.jkeras.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeras.runtime.graph.Buffers;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.kernels.StepThreads;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;

/**
 * Batch-parallel prediction behind {@link Model#predict(List, int)}.
 *
 * <p>Every layer treats batch rows independently and does the same float operations in the same
 * order for a row whatever the batch size, so the batch is cut into {@code min(threads, batch)}
 * contiguous row slices of near-equal size, each slice is predicted on its own, and the outputs are
 * concatenated along axis 0: bit for bit the single-thread result.
 *
 * <p>Threading: the calling thread predicts the first slice itself; the other slices go to one
 * JVM-wide pool of daemon threads ({@code jkeras-predict-N}), created on first use and grown to the
 * largest number of helper threads any call has asked for (at most {@link #MAX_WORKERS}). Idle workers
 * exit after {@link #KEEP_ALIVE_SECONDS} s, so back-to-back calls reuse them and no call creates threads
 * in steady state. After its own slice the caller runs any slice no worker has started yet, so a call
 * always completes even when the pool is busy with other callers (or called from a pool thread).
 *
 * <p>The plain single-thread path is taken when {@code threads == 1} or the model fixes a batch dimension
 * (a Keras {@code stateful} model's {@code batch_input_shape}). A batch of one row cannot be sliced: its LSTM
 * layers split each time step by gate columns instead, on a team of spinning helper threads joined by a
 * barrier per step ({@link StepThreads}; same results bit for bit).
 */
final class ParallelPredict {
    /** Upper bound on pool threads, whatever callers ask for: slices beyond it wait in the queue. */
    static final int MAX_WORKERS = 256;
    /** How long an idle worker lives. */
    static final long KEEP_ALIVE_SECONDS = 60;

    private static ThreadPoolExecutor pool; // guarded by ParallelPredict.class; created on first use

    private ParallelPredict() {
    }

    /**
     * Predicts with the batch split over up to {@code threads} threads.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     * @throws InputMismatchException   when the inputs do not fit the model (same messages as one thread)
     */
    static List<Tensor> predict(Graph graph, List<Tensor> inputs, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (threads > 1 && inputs != null && !inputs.isEmpty() && inputs.get(0) != null
                && inputs.get(0).rank() > 0 && inputs.get(0).dim(0) == 1) {
            // a batch of one: Graph.run checks the inputs itself (same messages); checking twice costs S1 ~4 %
            return runSplittingSteps(graph, inputs, threads);
        }
        validate(graph, inputs);
        graph.checkInputs(inputs); // the whole batch against the limits, not only each slice
        int batch = inputs.get(0).rank() == 0 ? 0 : inputs.get(0).dim(0);
        int slices = Math.min(threads, batch);
        if (slices <= 1 || !batchIsFree(graph, inputs, batch)) {
            return graph.run(inputs);
        }
        return run(graph, inputs, batch, slices);
    }

    /**
     * {@link #predict} into the caller's tensors: a batch of one runs into the calling thread's buffers with its
     * steps split (allocating nothing in the steady state); a larger batch is sliced as {@link #predict} slices it
     * and its results copied.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     * @throws InputMismatchException   when the inputs do not fit the model, or an output has another shape
     */
    static void predictInto(Graph graph, List<Tensor> inputs, List<Tensor> outputs, int threads, Buffers buffers) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        boolean one = inputs != null && !inputs.isEmpty() && inputs.get(0) != null && inputs.get(0).rank() > 0
                && inputs.get(0).dim(0) == 1;
        if (threads == 1 || one) {
            int previous = StepThreads.set(threads);
            try {
                graph.runInto(inputs, null, outputs, buffers);
            } finally {
                StepThreads.restore(previous);
            }
            return;
        }
        graph.copyOutputs(predict(graph, inputs, threads), outputs);
    }

    /**
     * A batch of one sequence: nothing to slice, so the recurrent layers split each time step's gate columns
     * across up to {@code threads} threads instead ({@link StepThreads}; bit-identical results).
     */
    static List<Tensor> runSplittingSteps(Graph graph, List<Tensor> inputs, int threads) {
        int previous = StepThreads.set(threads);
        try {
            return graph.run(inputs);
        } finally {
            StepThreads.restore(previous);
        }
    }

    /** The checks of {@link Graph#run(List)}, with its messages, done before any slice is cut. */
    private static void validate(Graph graph, List<Tensor> inputs) {
        List<Node> in = graph.inputs();
        if (inputs == null) {
            throw new InputMismatchException("the inputs are null: pass one tensor per model input");
        }
        if (inputs.size() != in.size()) {
            throw new InputMismatchException("the model takes " + in.size() + " input(s), got " + inputs.size());
        }
        for (int i = 0; i < in.size(); i++) {
            Tensor t = inputs.get(i);
            Shape declared = in.get(i).outputShapes().get(0);
            if (t == null || !declared.accepts(t.shape())) {
                throw new InputMismatchException("input '" + in.get(i).name() + "' expects shape " + declared
                        + ", got " + (t == null ? "null" : Shape.format(t.shape())));
            }
        }
    }

    /**
     * True when every input and output has a free leading batch axis of the same size, which is what
     * slicing needs; otherwise the caller takes the plain path (and {@link Graph#run} reports any misfit).
     */
    private static boolean batchIsFree(Graph graph, List<Tensor> inputs, int batch) {
        for (int i = 0; i < inputs.size(); i++) {
            Shape declared = graph.inputs().get(i).outputShapes().get(0);
            if (declared.rank() == 0 || declared.dim(0) != Shape.UNKNOWN || inputs.get(i).dim(0) != batch) {
                return false;
            }
        }
        for (Port p : graph.outputs()) {
            Shape s = graph.shapeOf(p);
            if (s.rank() == 0 || s.dim(0) != Shape.UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    private static List<Tensor> run(Graph graph, List<Tensor> inputs, int batch, int slices) {
        int[] start = new int[slices + 1]; // slice s holds rows start[s] .. start[s+1]-1
        for (int s = 0; s <= slices; s++) {
            start[s] = (int) ((long) batch * s / slices);
        }
        List<FutureTask<List<Tensor>>> tasks = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            List<Tensor> part = slice(inputs, start[s], start[s + 1]);
            tasks.add(new FutureTask<>(() -> graph.run(part)));
        }
        ThreadPoolExecutor executor = pool(slices - 1);
        for (FutureTask<List<Tensor>> t : tasks) {
            executor.execute(t);
        }
        List<List<Tensor>> results = new ArrayList<>(slices);
        RuntimeException firstFailure = null;
        try {
            results.add(graph.run(slice(inputs, start[0], start[1])));
        } catch (RuntimeException e) {
            firstFailure = e;
        } catch (Error e) { // e.g. out of memory: stop the other slices too
            tasks.forEach(t -> t.cancel(false));
            throw e;
        }
        // Help: run what no worker has picked up yet (FutureTask.run does nothing once a task has started).
        for (int i = tasks.size() - 1; i >= 0; i--) {
            tasks.get(i).run();
        }
        for (FutureTask<List<Tensor>> t : tasks) {
            try {
                results.add(await(t));
            } catch (RuntimeException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
            } catch (InterruptedException e) {
                tasks.forEach(x -> x.cancel(true));
                Thread.currentThread().interrupt();
                CancellationException c = new CancellationException("interrupted while waiting for prediction slices");
                c.initCause(e);
                throw c;
            }
        }
        if (firstFailure instanceof InputMismatchException) {
            // A layer found bad data (e.g. an Embedding index) and named its position within the
            // slice; rerun the whole batch on this thread so the message names the caller's row.
            graph.run(inputs);
        }
        if (firstFailure != null) {
            throw firstFailure; // the first slice's failure, in row order, so errors are deterministic
        }
        return concatenate(results, start);
    }

    /** The task's result, rethrowing what it threw as it was thrown on one thread. */
    private static List<Tensor> await(FutureTask<List<Tensor>> task) throws InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("prediction slice failed: " + cause, cause);
        }
    }

    /** Rows {@code from..to-1} of every input, copied (each slice owns its buffers). */
    private static List<Tensor> slice(List<Tensor> inputs, int from, int to) {
        List<Tensor> part = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            int[] shape = t.shape();
            int row = rowSize(shape);
            shape[0] = to - from;
            part.add(Tensor.wrap(Arrays.copyOfRange(t.data(), from * row, to * row), shape));
        }
        return part;
    }

    /** Per output, the slices' outputs stacked along axis 0. */
    private static List<Tensor> concatenate(List<List<Tensor>> results, int[] start) {
        int outputs = results.get(0).size();
        int batch = start[start.length - 1];
        List<Tensor> merged = new ArrayList<>(outputs);
        for (int o = 0; o < outputs; o++) {
            int[] shape = results.get(0).get(o).shape();
            int row = rowSize(shape);
            shape[0] = batch;
            float[] data = new float[Math.multiplyExact(batch, row)];
            for (int s = 0; s < results.size(); s++) {
                Tensor part = results.get(s).get(o);
                int rows = start[s + 1] - start[s];
                if (part.rank() != shape.length || part.dim(0) != rows || rowSize(part.shape()) != row) {
                    // A layer mixed batch rows; concatenating would be silently wrong.
                    throw new IllegalStateException("output " + o + " of a " + rows + "-row slice has shape "
                            + Shape.format(part.shape()) + ": the model does not keep batch rows independent");
                }
                System.arraycopy(part.data(), 0, data, start[s] * row, rows * row);
            }
            merged.add(Tensor.wrap(data, shape));
        }
        return merged;
    }

    /** Elements per batch row: the product of all but the first dimension. */
    private static int rowSize(int[] shape) {
        int n = 1;
        for (int i = 1; i < shape.length; i++) {
            n = Math.multiplyExact(n, shape[i]);
        }
        return n;
    }

    /** The shared pool, created or grown so it has at least {@code workers} threads (capped). */
    private static synchronized ThreadPoolExecutor pool(int workers) {
        int size = Math.min(workers, MAX_WORKERS);
        if (pool == null) {
            AtomicInteger ids = new AtomicInteger();
            ThreadFactory daemons = r -> {
                Thread t = new Thread(r, "jkeras-predict-" + ids.incrementAndGet());
                t.setDaemon(true); // never keeps the JVM alive
                return t;
            };
            pool = new ThreadPoolExecutor(size, size, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemons);
            pool.allowCoreThreadTimeOut(true);
        } else if (pool.getCorePoolSize() < size) {
            pool.setMaximumPoolSize(size); // grow the maximum first: core may never exceed it
            pool.setCorePoolSize(size);
        }
        return pool;
    }

    /** The current number of pool threads allowed (0 before first use); for tests. */
    static synchronized int poolSize() {
        return pool == null ? 0 : pool.getCorePoolSize();
    }
}
