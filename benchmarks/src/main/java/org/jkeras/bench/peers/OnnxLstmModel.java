package org.jkeras.bench.peers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.layers.Bidirectional;
import org.jkeras.runtime.layers.Dense;
import org.jkeras.runtime.layers.Gru;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Lstm;
import org.jkeras.runtime.layers.SimpleRnn;

/**
 * The ONNX model (opset 17, serialized protobuf) of a jkeras chain of LSTM layers with an optional Dense tail,
 * from the same weights, so ONNX Runtime computes what jkeras does: Keras's gates i, f, c, o become ONNX's
 * i, o, f, c; W [in, 4u] becomes [1, 4u, in]; the bias is ONNX's Wb with Rb = 0. Input {@code x} is
 * [steps, batch, features] (ONNX's layout 0: {@link #input} transposes jkeras's [batch, steps, features]);
 * output {@code y}. Only what the benchmark scenarios use: tanh/sigmoid LSTMs, a last-step GRU with
 * reset_after=True, a last-step tanh SimpleRNN, a last-step concat Bidirectional LSTM, a linear Dense. Written by hand
 * (a few protobuf fields) so the peers need no Python.
 */
public final class OnnxLstmModel {
    private OnnxLstmModel() {
    }

    /**
     * Serializes the model.
     *
     * @param model a chain of {@link Lstm} layers (all but the last with return_sequences) and at most one
     *              {@link Dense} after them
     * @param steps time steps of the input
     * @param batch sequences per call
     * @param features features of the input
     * @return the ONNX ModelProto bytes
     */
    public static byte[] of(Model model, int steps, int batch, int features) {
        Pb graph = new Pb().string(2, "jkeras_scenario");
        List<Pb> initializers = new ArrayList<>();
        String x = "x";
        int n = 0;
        int width = features;
        for (Layer layer : model.layers()) {
            if (layer instanceof Lstm lstm) {
                int u = lstm.units();
                List<org.jkeras.runtime.layers.Weight> ws = lstm.weights();
                float[] kernel = ws.get(0).value().data();
                float[] recurrent = ws.get(1).value().data();
                float[] bias = ws.size() > 2 ? ws.get(2).value().data() : new float[4 * u];
                String p = "l" + n;
                initializers.add(tensor(p + "_W", gatesTransposed(kernel, width, u), 1, 4 * u, width));
                initializers.add(tensor(p + "_R", gatesTransposed(recurrent, u, u), 1, 4 * u, u));
                float[] b = new float[8 * u];
                float[] wb = gatesRow(bias, u);
                System.arraycopy(wb, 0, b, 0, 4 * u);
                initializers.add(tensor(p + "_B", b, 1, 8 * u));
                boolean sequences = lstm.returnSequences();
                graph.message(1, node("LSTM", List.of(x, p + "_W", p + "_R", p + "_B"),
                        List.of(p + "_Y", p + "_Yh"), new Pb().string(1, "hidden_size").varint(3, u).varint(20, 2)));
                initializers.add(int64s(p + "_axes", sequences ? 1 : 0));
                String squeezed = p + "_out";
                graph.message(1, node("Squeeze", List.of(sequences ? p + "_Y" : p + "_Yh", p + "_axes"),
                        List.of(squeezed)));
                x = squeezed; // [steps, batch, u] or [batch, u]
                width = u;
            } else if (layer instanceof Gru gru && gru.resetAfter()
                    && gru.activation() == org.jkeras.runtime.tensor.Activation.TANH
                    && gru.recurrentActivation() == org.jkeras.runtime.tensor.Activation.SIGMOID) {
                // Keras's gates z, r, h are ONNX's order; reset_after=True is linear_before_reset=1, and its bias
                // rows (input, recurrent) are ONNX's Wb and Rb
                int u = gru.units();
                List<org.jkeras.runtime.layers.Weight> ws = gru.weights();
                String p = "l" + n;
                initializers.add(tensor(p + "_W", transposed(ws.get(0).value().data(), width, 3 * u), 1, 3 * u, width));
                initializers.add(tensor(p + "_R", transposed(ws.get(1).value().data(), u, 3 * u), 1, 3 * u, u));
                initializers.add(tensor(p + "_B", ws.size() > 2 ? ws.get(2).value().data() : new float[6 * u], 1, 6 * u));
                graph.message(1, node("GRU", List.of(x, p + "_W", p + "_R", p + "_B"), List.of(p + "_Y", p + "_Yh"),
                        new Pb().string(1, "hidden_size").varint(3, u).varint(20, 2),
                        new Pb().string(1, "linear_before_reset").varint(3, 1).varint(20, 2)));
                boolean sequences = gru.returnSequences();
                initializers.add(int64s(p + "_axes", sequences ? 1 : 0));
                graph.message(1, node("Squeeze", List.of(sequences ? p + "_Y" : p + "_Yh", p + "_axes"),
                        List.of(p + "_out")));
                x = p + "_out"; // [steps, batch, u] or [batch, u]
                width = u;
            } else if (layer instanceof SimpleRnn rnn && !rnn.returnSequences()
                    && rnn.activation() == org.jkeras.runtime.tensor.Activation.TANH) {
                // ONNX RNN: W [1, u, in], R [1, u, u], B = [Wb, Rb]; Keras has one bias (Wb, with Rb = 0)
                int u = rnn.units();
                List<org.jkeras.runtime.layers.Weight> ws = rnn.weights();
                String p = "l" + n;
                initializers.add(tensor(p + "_W", transposed(ws.get(0).value().data(), width, u), 1, u, width));
                initializers.add(tensor(p + "_R", transposed(ws.get(1).value().data(), u, u), 1, u, u));
                float[] b = new float[2 * u];
                if (ws.size() > 2) {
                    System.arraycopy(ws.get(2).value().data(), 0, b, 0, u);
                }
                initializers.add(tensor(p + "_B", b, 1, 2 * u));
                graph.message(1, node("RNN", List.of(x, p + "_W", p + "_R", p + "_B"), List.of(p + "_Y", p + "_Yh"),
                        new Pb().string(1, "hidden_size").varint(3, u).varint(20, 2)));
                initializers.add(int64s(p + "_axes", 0));
                graph.message(1, node("Squeeze", List.of(p + "_Yh", p + "_axes"), List.of(p + "_out")));
                x = p + "_out";
                width = u;
            } else if (layer instanceof Bidirectional bi && bi.merge() == Bidirectional.Merge.CONCAT
                    && bi.forwardLayer() instanceof Lstm f && bi.backwardLayer() instanceof Lstm b
                    && !f.returnSequences() && f.units() == b.units()) {
                // ONNX LSTM direction=bidirectional: forward then reverse weights stacked; the reverse pass's final
                // h is Keras's backward layer's output; Y_h [2, batch, u] -> [batch, 2, u] -> [batch, 2u] = concat
                int u = f.units();
                String p = "l" + n;
                float[] w2 = new float[2 * 4 * u * width];
                float[] r2 = new float[2 * 4 * u * u];
                float[] b2 = new float[2 * 8 * u];
                Lstm[] halves = {f, b};
                for (int d = 0; d < 2; d++) {
                    List<org.jkeras.runtime.layers.Weight> ws = halves[d].weights();
                    System.arraycopy(gatesTransposed(ws.get(0).value().data(), width, u), 0, w2, d * 4 * u * width,
                            4 * u * width);
                    System.arraycopy(gatesTransposed(ws.get(1).value().data(), u, u), 0, r2, d * 4 * u * u, 4 * u * u);
                    if (ws.size() > 2) {
                        System.arraycopy(gatesRow(ws.get(2).value().data(), u), 0, b2, d * 8 * u, 4 * u);
                    }
                }
                initializers.add(tensor(p + "_W", w2, 2, 4 * u, width));
                initializers.add(tensor(p + "_R", r2, 2, 4 * u, u));
                initializers.add(tensor(p + "_B", b2, 2, 8 * u));
                graph.message(1, node("LSTM", List.of(x, p + "_W", p + "_R", p + "_B"), List.of(p + "_Y", p + "_Yh"),
                        new Pb().string(1, "hidden_size").varint(3, u).varint(20, 2),
                        new Pb().string(1, "direction").string(4, "bidirectional").varint(20, 3)));
                graph.message(1, node("Transpose", List.of(p + "_Yh"), List.of(p + "_t"),
                        new Pb().string(1, "perm").varint(8, 1).varint(8, 0).varint(8, 2).varint(20, 7)));
                initializers.add(int64s(p + "_shape", 0, 2L * u)); // 0: keep the batch dimension
                graph.message(1, node("Reshape", List.of(p + "_t", p + "_shape"), List.of(p + "_out")));
                x = p + "_out";
                width = 2 * u;
            } else if (layer instanceof Dense dense) {
                if (dense.activation() != org.jkeras.runtime.tensor.Activation.LINEAR) {
                    throw new IllegalArgumentException("only a linear Dense tail is supported");
                }
                List<org.jkeras.runtime.layers.Weight> ws = dense.weights();
                initializers.add(tensor("d_W", ws.get(0).value().data(), width, dense.units()));
                initializers.add(tensor("d_b", ws.size() > 1 ? ws.get(1).value().data()
                        : new float[dense.units()], dense.units()));
                graph.message(1, node("MatMul", List.of(x, "d_W"), List.of("d_mm")));
                graph.message(1, node("Add", List.of("d_mm", "d_b"), List.of("d_out")));
                x = "d_out";
                width = dense.units();
            } else {
                throw new IllegalArgumentException("unsupported layer for the ONNX peer: " + layer.kind());
            }
            n++;
        }
        graph.message(1, node("Identity", List.of(x), List.of("y")));
        for (Pb t : initializers) {
            graph.message(5, t);
        }
        graph.message(11, valueInfo("x", steps, batch, features));
        graph.message(12, valueInfo("y", batch, width));
        return new Pb().varint(1, 8).string(2, "jkeras-benchmarks").message(7, graph)
                .message(8, new Pb().string(1, "").varint(2, 17)).bytes();
    }

    /** [rows, cols] to [cols, rows]. */
    static float[] transposed(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    /** Keras [rows, 4u] (gates i f c o in column blocks) to ONNX [4u, rows] with row blocks i o f c. */
    static float[] gatesTransposed(float[] w, int rows, int u) {
        int[] kerasGate = {0, 3, 1, 2}; // ONNX i, o, f, c from Keras i, f, c, o
        float[] out = new float[4 * u * rows];
        for (int g = 0; g < 4; g++) {
            for (int j = 0; j < u; j++) {
                for (int k = 0; k < rows; k++) {
                    out[(g * u + j) * rows + k] = w[k * 4 * u + kerasGate[g] * u + j];
                }
            }
        }
        return out;
    }

    private static float[] gatesRow(float[] bias, int u) {
        return gatesTransposed(bias, 1, u);
    }

    private static Pb node(String op, List<String> inputs, List<String> outputs, Pb... attributes) {
        Pb node = new Pb();
        for (String s : inputs) {
            node.string(1, s);
        }
        for (String s : outputs) {
            node.string(2, s);
        }
        node.string(3, op + "_" + outputs.get(0)).string(4, op);
        for (Pb attribute : attributes) {
            node.message(5, attribute);
        }
        return node;
    }

    private static Pb tensor(String name, float[] values, int... dims) {
        Pb t = new Pb();
        for (int d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return t.varint(2, 1).string(8, name).raw(9, raw.array());
    }

    private static Pb int64s(String name, long... values) {
        Pb t = new Pb().varint(1, values.length);
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return t.varint(2, 7).string(8, name).raw(9, raw.array());
    }

    private static Pb valueInfo(String name, int... dims) {
        Pb shape = new Pb();
        for (int d : dims) {
            shape.message(1, new Pb().varint(1, d));
        }
        Pb tensorType = new Pb().varint(1, 1).message(2, shape);
        return new Pb().string(1, name).message(2, new Pb().message(1, tensorType));
    }

    /** A protobuf message being written: varint and length-delimited fields. */
    private static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pb varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Pb raw(int field, byte[] b) {
            writeVarint((long) field << 3 | 2);
            writeVarint(b.length);
            out.writeBytes(b);
            return this;
        }

        Pb string(int field, String s) {
            return raw(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Pb message(int field, Pb m) {
            return raw(field, m.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    /** The input as ONNX Runtime takes it: jkeras's [batch, steps, features] as [steps, batch, features]. */
    static float[] input(Tensor x) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int features = x.dim(2);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(in, (b * steps + t) * features, out, (t * batch + b) * features, features);
            }
        }
        return out;
    }
}
