package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import tools.jackson.databind.JsonNode;

/**
 * A Functional model ({@code Functional} in Keras 3, {@code Model} in Keras 1/2): layers with
 * inbound nodes, model inputs and outputs. Calls are added in dependency order (configs list
 * layers topologically, but this does not rely on it); a layer called several times is one
 * runtime layer applied at several nodes, sharing its weights.
 *
 * <p>The order is found in O(n log n) for n calls and tensor references (Kahn's algorithm, the ready call listed
 * first in the config taken first, so a config already in order keeps its order), and bounded by
 * {@link Limit#MAX_LAYERS} and {@link Limit#MAX_GRAPH_NODES}: a hostile config listing 100 000 layers in reverse
 * order is refused by the limit, and one within it is ordered in milliseconds. Every reference is checked
 * before ordering, so a dangling one (a layer or call that does not exist) and a cycle get distinct messages.
 */
final class FunctionalBuilder {
    private FunctionalBuilder() {
    }

    private record Entry(String name, String cls, ConfigNode config, List<JsonNode> inbound, String keras3Path,
                         boolean op, String registered) {
    }

    /** The {@code node}-th call of a layer, with the tensors it consumes. */
    private record Call(Entry entry, int node, List<TensorRef> refs, CallArgs args, int index) {
    }

    static Graph build(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                       BuildTrace trace) {
        List<JsonNode> layers = model.array("layers");
        ctx.limits().check(Limit.MAX_LAYERS, layers.size(), file + ": the Functional model");
        Map<String, Entry> byName = new LinkedHashMap<>();
        Keras3Paths paths = new Keras3Paths();
        long graphNodes = 0;
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            if (l == null || !l.isObject()) {
                throw model.error("layers", "entry #" + i + " must be an object");
            }
            ConfigNode entry = new ConfigNode(l, file + ": layer #" + i);
            String cls = entry.string("class_name");
            ConfigNode c = entry.object("config", file + ": layer #" + i + " (" + Echo.of(cls) + ")");
            String name = entry.string("name", c.string("name", null));
            if (name == null) {
                throw entry.error("name", "is missing");
            }
            ConfigNode named = new ConfigNode(c.json(), file + ": layer '" + Echo.of(name) + "' (" + Echo.of(cls) + ")");
            List<JsonNode> inbound = entry.has("inbound_nodes") ? entry.array("inbound_nodes") : List.of();
            graphNodes += 1 + inbound.size();
            ctx.limits().check(Limit.MAX_GRAPH_NODES, graphNodes, file + ": the Functional model");
            boolean op = entry.string("module", "").startsWith("keras.src.ops");
            String registered = entry.has("registered_name") && entry.raw("registered_name").isString()
                    ? entry.string("registered_name") : null;
            if (byName.put(name, new Entry(name, cls, named, inbound, paths.next(cls), op, registered)) != null) {
                throw entry.error("name", "'" + Echo.of(name) + "' is used by two layers; Keras refuses such a"
                        + " model (layer names must be unique)");
            }
        }
        ShapedGraph g = new ShapedGraph();
        Map<String, List<Port>> produced = new HashMap<>(); // "layer#node" -> the call's output ports
        for (TensorRef ref : InboundNodes.parseEndpoints(model, "input_layers")) {
            Entry e = byName.get(ref.layer());
            if (e == null || !TranslatorRegistry.isInputLayer(e.cls())) {
                throw model.error("input_layers", "names " + Echo.of(ref) + ", which is not an InputLayer of the"
                        + " model");
            }
            Port input = g.input(e.name(), InputShapes.of(e.config(), ctx.limits()));
            produced.put(key(ref.layer(), 0), List.of(input));
            trace.call(e.name(), 0, null, List.of(g.shapeOf(input)));
        }
        List<Call> calls = calls(byName, produced, needed(model, byName), file, ctx);
        order(calls, produced, file);
        Map<String, Layer> translated = new HashMap<>();
        for (Call call : sorted(calls, produced)) {
            Entry e = call.entry();
            CallArgs callArgs = call.args();
            LayerSpec spec = new LayerSpec(e.name(), e.cls(), e.config(), e.keras3Path(), e.registered());
            if (callArgs.args().isEmpty()) {
                throw ctx.error(spec, "is called without input tensors");
            }
            List<Port> args = new ArrayList<>();
            for (TensorRef r : callArgs.args()) {
                args.add(port(produced, r, spec, ctx));
            }
            checkMask(callArgs, args, byName, g, spec, ctx);
            List<Port> inputs = new ArrayList<>(args);
            for (TensorRef r : callArgs.initialState()) {
                inputs.add(port(produced, r, spec, ctx));
            }
            Layer layer = translated.get(e.name());
            if (layer == null) {
                layer = registry.translate(spec, args.stream().map(g::shapeOf).toList(), ctx);
                translated.put(e.name(), layer);
            }
            List<Port> out = SequentialBuilder.apply(g, layer, inputs, spec, ctx);
            produced.put(key(e.name(), call.node()), out);
            trace.callOn(e.name(), call.node(), args.stream().map(g::shapeOf).toList(),
                    out.stream().map(g::shapeOf).toList());
        }
        List<Port> outputs = new ArrayList<>();
        for (TensorRef ref : InboundNodes.parseEndpoints(model, "output_layers")) {
            List<Port> ports = produced.get(key(ref.layer(), ref.node()));
            if (ports == null || ref.tensor() < 0 || ref.tensor() >= ports.size()) {
                throw model.error("output_layers", "names " + Echo.of(ref) + ", which no layer produces");
            }
            outputs.add(ports.get(ref.tensor()));
        }
        return g.build(outputs);
    }

    /** Every call of every non-input layer, its references parsed and checked to name existing calls. */
    private static List<Call> calls(Map<String, Entry> byName, Map<String, List<Port>> inputs,
                                    java.util.Set<String> needed, String file, TranslationContext ctx) {
        List<Call> calls = new ArrayList<>();
        long refs = 0;
        for (Entry e : byName.values()) {
            if (TranslatorRegistry.isInputLayer(e.cls())) {
                continue;
            }
            for (int n = 0; n < e.inbound().size(); n++) {
                if (!needed.contains(key(e.name(), n))) {
                    continue;
                }
                CallArgs callArgs = InboundNodes.parseCall(e.inbound().get(n), e.config(),
                        TranslatorRegistry.takesInitialState(e.cls()));
                List<TensorRef> parsed = callArgs.all();
                refs += parsed.size();
                ctx.limits().check(Limit.MAX_GRAPH_NODES, refs, file + ": the Functional model's tensor references");
                for (TensorRef r : parsed) {
                    requireExists(r, e, byName, inputs, file);
                }
                calls.add(new Call(e, n, parsed, callArgs, calls.size()));
            }
        }
        return calls;
    }

    private static void requireExists(TensorRef r, Entry user, Map<String, Entry> byName,
                                      Map<String, List<Port>> inputs, String file) {
        Entry producer = byName.get(r.layer());
        String at = file + ": layer '" + Echo.of(user.name()) + "' (" + Echo.of(user.cls()) + ") is called on tensor "
                + Echo.of(r);
        if (producer == null) {
            throw new KerasImportException(at + ", but the model has no layer '" + Echo.of(r.layer())
                    + "' (a dangling inbound node)");
        }
        if (TranslatorRegistry.isInputLayer(producer.cls())) {
            if (!inputs.containsKey(key(r.layer(), r.node()))) {
                throw new KerasImportException(at + ", but that is not one of the model's input_layers (an unlisted"
                        + " model input, or a call of an InputLayer that does not exist)");
            }
        } else if (r.node() >= producer.inbound().size()) {
            throw new KerasImportException(at + ", but layer '" + Echo.of(r.layer()) + "' is called only "
                    + producer.inbound().size() + " time(s) (a dangling inbound node)");
        }
    }

    /** Fails naming a cycle when not every call can be ordered after the calls it consumes. */
    private static void order(List<Call> calls, Map<String, List<Port>> inputs, String file) {
        List<Call> done = sorted(calls, inputs);
        if (done.size() == calls.size()) {
            return;
        }
        java.util.Set<String> ordered = new java.util.HashSet<>(inputs.keySet());
        for (Call c : done) {
            ordered.add(key(c.entry().name(), c.node()));
        }
        Map<String, Call> byKey = new HashMap<>();
        for (Call c : calls) {
            byKey.put(key(c.entry().name(), c.node()), c);
        }
        Call start = calls.stream().filter(c -> !ordered.contains(key(c.entry().name(), c.node()))).findFirst()
                .orElseThrow();
        // walk back along unordered inputs until a call repeats: that is a cycle
        List<String> path = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Call at = start;
        while (true) {
            String k = key(at.entry().name(), at.node());
            if (seen.containsKey(k)) {
                List<String> cycle = path.subList(seen.get(k), path.size());
                throw new KerasImportException(file + ": layers call each other in a cycle ("
                        + Echo.of(String.join(" <- ", cycle) + " <- " + Echo.of(at.entry().name())) + "): a Keras"
                        + " model is a directed acyclic graph");
            }
            seen.put(k, path.size());
            path.add(Echo.of(at.entry().name()));
            Call next = null;
            for (TensorRef r : at.refs()) {
                String rk = key(r.layer(), r.node());
                if (!ordered.contains(rk)) {
                    next = byKey.get(rk);
                    break;
                }
            }
            if (next == null) {
                throw new KerasImportException(file + ": layer '" + Echo.of(start.entry().name()) + "' cannot be"
                        + " ordered after the layers it is called on");
            }
            at = next;
        }
    }

    /**
     * The calls in an order where each comes after the calls whose outputs it consumes (only those that can be
     * ordered: a call in or behind a cycle is left out). Among the calls ready at a time, the one first in the
     * config goes first.
     */
    private static List<Call> sorted(List<Call> calls, Map<String, List<Port>> inputs) {
        Map<String, List<Call>> waiting = new HashMap<>(); // producer call key -> calls consuming it
        int[] missing = new int[calls.size()];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (Call c : calls) {
            for (TensorRef r : c.refs()) {
                String k = key(r.layer(), r.node());
                if (!inputs.containsKey(k)) {
                    missing[c.index()]++;
                    waiting.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
                }
            }
            if (missing[c.index()] == 0) {
                ready.add(c.index());
            }
        }
        List<Call> out = new ArrayList<>(calls.size());
        while (!ready.isEmpty()) {
            Call c = calls.get(ready.poll());
            out.add(c);
            for (Call w : waiting.getOrDefault(key(c.entry().name(), c.node()), List.of())) {
                if (--missing[w.index()] == 0) {
                    ready.add(w.index());
                }
            }
        }
        return out;
    }

    /**
     * Accepts a {@code mask} keyword argument only as Keras 3 records the mask it propagated itself: a tensor made
     * by Keras ops (a {@code compute_mask}'s {@code NotEqual}/{@code Any}) on a call whose input jkeras also sees
     * masked, so the mask jkeras propagates is the same one. An explicit mask of the user's is refused.
     */
    private static void checkMask(CallArgs call, List<Port> args, Map<String, Entry> byName, ShapedGraph g,
                                  LayerSpec spec, TranslationContext ctx) {
        for (TensorRef m : call.mask()) {
            Entry from = byName.get(m.layer());
            if (from == null || !from.op() || !g.masked(args.get(0))) {
                throw ctx.error(spec, "is called with an explicit mask " + m + ", which is not supported (only the"
                        + " masks Keras propagates from Masking or Embedding(mask_zero=True) are)");
            }
        }
    }

    /**
     * The calls ({@code layer#node}) the model outputs depend on. Others are skipped: Keras 3 records the ops a
     * layer's {@code compute_mask} ran while the model was built (a Masking layer's {@code NotEqual} and
     * {@code Any}) as dangling nodes that no output reads.
     */
    private static java.util.Set<String> needed(ConfigNode model, Map<String, Entry> byName) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Deque<TensorRef> todo = new java.util.ArrayDeque<>(InboundNodes.parseEndpoints(model,
                "output_layers"));
        while (!todo.isEmpty()) {
            TensorRef r = todo.pop();
            Entry e = byName.get(r.layer());
            if (e == null || !seen.add(key(r.layer(), r.node())) || r.node() >= e.inbound().size()) {
                continue; // unknown names and missing calls fail later with the full message
            }
            todo.addAll(InboundNodes.parseCall(e.inbound().get(r.node()), e.config(),
                    TranslatorRegistry.takesInitialState(e.cls())).all());
        }
        return seen;
    }

    private static Port port(Map<String, List<Port>> produced, TensorRef ref, LayerSpec spec,
                             TranslationContext ctx) {
        List<Port> ports = produced.get(key(ref.layer(), ref.node()));
        if (ref.tensor() < 0 || ref.tensor() >= ports.size()) {
            throw ctx.error(spec, "uses output " + ref.tensor() + " of layer '" + Echo.of(ref.layer())
                    + "', which has " + ports.size() + " output(s)");
        }
        return ports.get(ref.tensor());
    }

    private static String key(String layer, int node) {
        return layer + "#" + node;
    }
}
