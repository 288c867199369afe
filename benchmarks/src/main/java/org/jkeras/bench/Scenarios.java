package org.jkeras.bench;

import java.util.List;
import java.util.Map;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.SimpleRnn;

/**
 * The reference scenarios S1-S4 as models with random weights (seed 42) and their inputs, built directly on the
 * runtime API: the same weights for {@link LstmBenchmark} and for the peers that run them (ONNX Runtime).
 * <ul>
 *   <li>S1: batch 1, one step, 32 features, LSTM(128) — a single streaming step</li>
 *   <li>S2: batch 1, 50 steps, 8 features, LSTM(64, sequences) → LSTM(64) → Dense(1) — a small forecaster</li>
 *   <li>S3: batch 64, 100 steps, 64 features, LSTM(256) — batch throughput</li>
 *   <li>S4: as S3 with batch 1 — latency of a long sequence</li>
 *   <li>G2: S2 with GRU(64), reset_after=True — jkeras only: with 2 threads its two layers run at once</li>
 *   <li>G3, G4: S3 and S4 with GRU(256), reset_after=True (Keras 3's default)</li>
 *   <li>B4: batch 1, 100 steps, 64 features, Bidirectional(LSTM(128)), concat — jkeras only (no peer model yet):
 *       with 2 threads its two directions run at once</li>
 *   <li>R4: S4 with SimpleRNN(256) — jkeras only</li>
 *   <li>L4: S4 with LSTM(512) — jkeras only: its 4 MiB recurrent kernel no longer fits a core's L2 in float32
 *       (2 MiB on the Xeons seen here), in bfloat16 it takes half</li>
 * </ul>
 */
public final class Scenarios {
    /** A scenario's model and input. */
    public record Scenario(Model model, Tensor input) {
        /**
         * This scenario with the model's kernels in the given precision.
         *
         * @param kernels {@code float32} (as built) or {@code bfloat16} ({@link Model#withBfloat16Kernels()})
         * @return this scenario, or one over the rounded model
         */
        public Scenario withKernels(String kernels) {
            return switch (kernels) {
                case "float32" -> this;
                case "bfloat16" -> new Scenario(model.withBfloat16Kernels(), input);
                default -> throw new IllegalArgumentException("kernels " + kernels + ", expected float32 or bfloat16");
            };
        }
    }

    private Scenarios() {
    }

    /**
     * Builds a scenario.
     *
     * @param name S1 .. S4, G2, G3, G4, B4, R4, L4
     * @return its model and input
     */
    public static Scenario build(String name) {
        RandomWeights w = new RandomWeights(42);
        Graph.Builder g = Graph.builder();
        switch (name) {
            case "S1" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 32));
                return new Scenario(model(g, g.apply(lstm(w, "lstm", 32, 128, false), in)), w.uniform(1, 1, 1, 32));
            }
            case "S2" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 8));
                Port h1 = g.apply(lstm(w, "lstm_1", 8, 64, true), in);
                Port h2 = g.apply(lstm(w, "lstm_2", 64, 64, false), h1);
                Port y = g.apply(new Dense("dense", w.glorot(64, 1), w.uniform(0.1, 1), Activation.LINEAR), h2);
                return new Scenario(model(g, y), w.uniform(1, 1, 50, 8));
            }
            case "G2" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 8));
                Port h1 = g.apply(gru(w, "gru_1", 8, 64, true), in);
                Port h2 = g.apply(gru(w, "gru_2", 64, 64, false), h1);
                Port y = g.apply(new Dense("dense", w.glorot(64, 1), w.uniform(0.1, 1), Activation.LINEAR), h2);
                return new Scenario(model(g, y), w.uniform(1, 1, 50, 8));
            }
            case "S3", "S4" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 64));
                Model m = model(g, g.apply(lstm(w, "lstm", 64, 256, false), in));
                return new Scenario(m, w.uniform(1, "S3".equals(name) ? 64 : 1, 100, 64));
            }
            case "L4" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 64));
                return new Scenario(model(g, g.apply(lstm(w, "lstm", 64, 512, false), in)), w.uniform(1, 1, 100, 64));
            }
            case "G3", "G4" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 64));
                return new Scenario(model(g, g.apply(gru(w, "gru", 64, 256, false), in)), w.uniform(1, "G3".equals(name) ? 64 : 1, 100, 64));
            }
            case "B4" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 64));
                Lstm backward = new Lstm("backward_lstm", 128, w.glorot(64, 4 * 128), w.glorot(128, 4 * 128),
                        w.uniform(0.1, 4 * 128), Activation.TANH, Activation.SIGMOID, false, false, true);
                Bidirectional bi = new Bidirectional("bidirectional", lstm(w, "forward_lstm", 64, 128, false), backward,
                        Bidirectional.Merge.CONCAT);
                return new Scenario(model(g, g.apply(bi, in)), w.uniform(1, 1, 100, 64));
            }
            case "R4" -> {
                Port in = g.input("x", Shape.of(Shape.UNKNOWN, Shape.UNKNOWN, 64));
                SimpleRnn rnn = new SimpleRnn("simple_rnn", 256, w.glorot(64, 256), w.glorot(256, 256), w.uniform(0.1, 256),
                        Activation.TANH, false);
                return new Scenario(model(g, g.apply(rnn, in)), w.uniform(1, 1, 100, 64));
            }
            default -> throw new IllegalArgumentException("unknown scenario " + name
                    + ", expected S1..S4, G2, G3, G4, B4, R4, L4");
        }
    }

    private static Lstm lstm(RandomWeights w, String name, int in, int units, boolean sequences) {
        return new Lstm(name, units, w.glorot(in, 4 * units), w.glorot(units, 4 * units), w.uniform(0.1, 4 * units),
                Activation.TANH, Activation.SIGMOID, sequences);
    }

    private static Gru gru(RandomWeights w, String name, int in, int units, boolean sequences) {
        return new Gru(name, units, w.glorot(in, 3 * units), w.glorot(units, 3 * units), w.uniform(0.1, 2, 3 * units),
                true, Activation.TANH, Activation.SIGMOID, sequences);
    }

    private static Model model(Graph.Builder g, Port output) {
        return new Model(g.build(List.of(output)), Map.of("source", "LstmBenchmark"));
    }
}
