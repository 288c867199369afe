package org.jkeras.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jkeras.runtime.graph.Node;
import org.jkeras.runtime.graph.Port;

/**
 * Keras's {@code model.summary()} table for a {@link Model}: one row per graph node (inputs shown as
 * {@code InputLayer} rows, as Keras does), a "Connected to" column in Keras's {@code layer[node][tensor]}
 * notation when the graph is not a simple chain, and the total, trainable and non-trainable parameter counts
 * (trainable as the model's file says).
 */
final class Summary {
    private Summary() {
    }

    /** The summary's lines. */
    static List<String> lines(Model model) {
        List<String> lines = new ArrayList<>(table(model));
        long params = model.parameterCount();
        long frozen = frozenParameters(model);
        lines.add("Total params: " + count(params));
        lines.add("Trainable params: " + count(params - frozen));
        lines.add("Non-trainable params: " + count(frozen));
        return lines;
    }

    private static List<String> table(Model model) {
        List<Node> nodes = model.graph().nodes();
        boolean chain = isChain(model);
        int[] application = applicationIndex(nodes);
        List<String[]> rows = new ArrayList<>();
        Set<Object> counted = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String type = n.isInput() ? "InputLayer" : n.layer().kind();
            String shapes = String.join(", ", n.outputShapes().stream().map(Object::toString).toList());
            String params = n.isInput() ? "0"
                    : counted.add(n.layer()) ? String.format(Locale.ROOT, "%,d", n.layer().parameterCount())
                    : "(shared)";
            List<String> from = new ArrayList<>();
            for (Port p : n.inputs()) {
                from.add(nodes.get(p.node()).name() + "[" + application[p.node()] + "][" + p.output() + "]");
            }
            rows.add(new String[] {n.name() + " (" + type + ")", shapes, params, String.join(", ", from)});
        }
        String[] head = {"Layer (type)", "Output Shape", "Param #", "Connected to"};
        int columns = chain ? 3 : 4;
        int[] width = new int[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = head[c].length() + 2;
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length() + 2);
            }
        }
        int total = 0;
        for (int w : width) {
            total += w;
        }
        List<String> lines = new ArrayList<>();
        lines.add("_".repeat(total));
        lines.add(row(head, width));
        lines.add("=".repeat(total));
        for (int r = 0; r < rows.size(); r++) {
            lines.add(row(rows.get(r), width));
            if (r < rows.size() - 1) {
                lines.add(chain ? "" : "-".repeat(total));
            }
        }
        lines.add("=".repeat(total));
        return lines;
    }

    private static String row(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            b.append(c == width.length - 1 ? cells[c] : pad(cells[c], width[c]));
        }
        return b.toString().stripTrailing();
    }

    /** True when every layer node reads exactly the one node before it, as in a Sequential model. */
    private static boolean isChain(Model model) {
        List<Node> nodes = model.graph().nodes();
        if (model.graph().inputs().size() != 1 || model.graph().outputs().size() != 1) {
            return false;
        }
        for (int i = 1; i < nodes.size(); i++) {
            List<Port> in = nodes.get(i).inputs();
            if (in.size() != 1 || in.get(0).node() != i - 1) {
                return false;
            }
        }
        return true;
    }

    /** For each node, how many earlier nodes applied the same layer (Keras's node index). */
    private static int[] applicationIndex(List<Node> nodes) {
        int[] index = new int[nodes.size()];
        Map<Object, Integer> seen = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!n.isInput()) {
                index[i] = seen.merge(n.layer(), 1, Integer::sum) - 1;
            }
        }
        return index;
    }

    /** {@code 1,234 (4.82 KB)}: a parameter count and its float32 size, as Keras's summary prints them. */
    private static String count(long params) {
        return String.format(Locale.ROOT, "%,d", params) + " (" + bytes(params * 4) + ")";
    }

    /** Parameters of the weights the file froze ({@code trainable=False} layers or weights), shared layers once. */
    private static long frozenParameters(Model model) {
        Set<String> frozen = model.trainingDefaults().frozen();
        long n = 0;
        for (org.jkeras.runtime.layers.Layer layer : model.layers()) {
            for (org.jkeras.runtime.layers.WeightSpec w : layer.weightSpecs()) {
                if (frozen.contains(layer.name()) || frozen.contains(layer.name() + "/" + w.name())) {
                    n += w.size();
                }
            }
        }
        return n;
    }

    /** Keras's readable size: {@code 404.00 B}, {@code 1.57 KB}. */
    static String bytes(long n) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
