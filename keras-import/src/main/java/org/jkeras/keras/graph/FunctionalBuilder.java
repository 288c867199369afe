package org.jkeras.keras.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.CallKwargs;
import org.jkeras.keras.translate.LayerSpec;
import org.jkeras.keras.translate.TranslationContext;
import org.jkeras.keras.translate.TranslatorRegistry;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.RecurrentLayer;
import tools.jackson.databind.JsonNode;

/**
 * A Functional model ({@code Functional} in Keras 3, {@code Model} in Keras 1/2): layers with
 * inbound nodes, model inputs and outputs. Calls are added in dependency order (configs list
 * layers topologically, but this does not rely on it); a layer called several times is one
 * runtime layer applied at several nodes, sharing its weights. A nested model (a Sequential or
 * Functional used as a layer) is inlined: its layers join the graph under {@code <model name>/},
 * translated once however often the model is called.
 *
 * <p>The order is found in O(n log n) for n calls and tensor references (Kahn's algorithm, the ready call listed
 * first in the config taken first, so a config already in order keeps its order), and bounded by
 * {@link Limit#MAX_LAYERS} and {@link Limit#MAX_GRAPH_NODES}: a hostile config listing 100 000 layers in reverse
 * order is refused by the limit, and one within it is ordered in milliseconds. Every reference is checked
 * before ordering, so a dangling one (a layer or call that does not exist) and a cycle get distinct messages.
 */
final class FunctionalBuilder implements NestedModel {
    /**
     * One layer of the config. {@code nodeBase} is the node index its first listed call has in references (1 for
     * a Keras 1/2 nested model, whose own first node the config leaves out; else 0).
     */
    private record Entry(String name, String cls, ConfigNode config, List<JsonNode> inbound, String keras3Path,
                         boolean op, String registered, int nodeBase) {
    }

    /** The {@code node}-th call of a layer (its index in references), with the tensors it consumes. */
    private record Call(Entry entry, int node, List<TensorRef> refs, CallArgs args, int index) {
    }

    private final ConfigNode model;
    private final String file;
    private final TranslatorRegistry registry;
    private final TranslationContext ctx;
    private final BuildTrace trace;
    private final String prefix; // runtime names of this model's layers start with it ("" at the top)
    private final int depth;
    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final Map<String, Layer> translated = new HashMap<>();
    private final Map<String, NestedModel> nested = new HashMap<>();
    private final Map<String, JsonNode> firstKwargs = new HashMap<>(); // a translated layer's first call's kwargs

    private FunctionalBuilder(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                              BuildTrace trace, String prefix, int depth) {
        this.model = model;
        this.file = file;
        this.registry = registry;
        this.ctx = ctx;
        this.trace = trace;
        this.prefix = prefix;
        this.depth = depth;
        List<JsonNode> layers = model.array("layers");
        ctx.limits().check(Limit.MAX_LAYERS, layers.size(), file + ": the Functional model");
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
            ConfigNode named = new ConfigNode(c.json(), file + ": layer '" + Echo.of(prefix + name) + "' ("
                    + Echo.of(cls) + ")");
            List<JsonNode> inbound = entry.has("inbound_nodes") ? entry.array("inbound_nodes") : List.of();
            graphNodes += 1 + inbound.size();
            ctx.limits().check(Limit.MAX_GRAPH_NODES, graphNodes, file + ": the Functional model");
            boolean op = entry.string("module", "").startsWith("keras.src.ops");
            String registered = entry.has("registered_name") && entry.raw("registered_name").isString()
                    ? entry.string("registered_name") : null;
            int base = ctx.version().isKeras3() ? 0 : NestedModel.firstNodeIndex(cls, named);
            if (byName.put(name, new Entry(name, cls, named, inbound, paths.next(cls), op, registered, base)) != null) {
                throw entry.error("name", "'" + Echo.of(name) + "' is used by two layers; Keras refuses such a"
                        + " model (layer names must be unique)");
            }
        }
    }

    /** Builds a top-level Functional model. */
    static Graph build(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                       BuildTrace trace) {
        FunctionalBuilder f = new FunctionalBuilder(model, file, registry, ctx, trace, "", 0);
        ShapedGraph g = new ShapedGraph();
        List<Port> inputs = new ArrayList<>();
        for (TensorRef ref : InboundNodes.parseEndpoints(model, "input_layers")) {
            Entry e = f.inputEntry(ref);
            Port input = g.input(e.name(), InputShapes.of(e.config(), ctx.limits()));
            trace.call(e.name(), 0, null, List.of(g.shapeOf(input)));
            inputs.add(input);
        }
        return g.build(f.apply(g, inputs));
    }

    /** A Functional model used as a layer of another, its layers named {@code prefix + name}. */
    static FunctionalBuilder nested(ConfigNode model, String file, TranslatorRegistry registry, TranslationContext ctx,
                                    BuildTrace trace, String prefix, int depth) {
        return new FunctionalBuilder(model, file, registry, ctx, trace, prefix, depth);
    }

    private Entry inputEntry(TensorRef ref) {
        Entry e = byName.get(ref.layer());
        if (e == null || !TranslatorRegistry.isInputLayer(e.cls())) {
            throw model.error("input_layers", "names " + Echo.of(ref) + ", which is not an InputLayer of the"
                    + " model");
        }
        return e;
    }

    @Override
    public List<Port> apply(ShapedGraph g, List<Port> inputs) {
        List<TensorRef> inputRefs = InboundNodes.parseEndpoints(model, "input_layers");
        if (inputRefs.size() != inputs.size()) {
            throw new KerasImportException(model.where() + ": the model takes " + inputRefs.size()
                    + " input(s), called on " + inputs.size());
        }
        Map<String, List<Port>> produced = new HashMap<>(); // "layer#node" -> the call's output ports
        for (int i = 0; i < inputs.size(); i++) {
            Entry e = inputEntry(inputRefs.get(i));
            if (!prefix.isEmpty()) {
                NestedModel.requireFits(InputShapes.of(e.config(), ctx.limits()), g.shapeOf(inputs.get(i)),
                        e.config());
            }
            produced.put(key(e.name(), 0), List.of(inputs.get(i)));
        }
        List<Call> calls = calls(produced, needed());
        order(calls, produced);
        Map<String, Integer> readers = readers(calls);
        for (Call call : sorted(calls, produced)) {
            Entry e = call.entry();
            CallArgs callArgs = call.args();
            LayerSpec spec = new LayerSpec(prefix + e.name(), e.cls(), e.config(), e.keras3Path(), e.registered());
            if (callArgs.args().isEmpty()) {
                throw ctx.error(spec, "is called without input tensors");
            }
            List<Port> args = new ArrayList<>();
            for (TensorRef r : callArgs.args()) {
                args.add(port(produced, r, spec));
            }
            checkMask(callArgs, args, g, spec);
            refuseClearedMasks(callArgs, args, g, spec, readers);
            List<Port> out;
            if (NestedModel.isModel(e.cls())) {
                if (!callArgs.initialState().isEmpty()) {
                    throw ctx.error(spec, "a nested model is called with initial_state, which is not supported");
                }
                NestedModel m = nested.computeIfAbsent(e.name(), k -> NestedModel.of(spec, file, registry, ctx,
                        trace.nested(), depth + 1));
                out = m.apply(g, args);
            } else {
                List<Port> withStates = new ArrayList<>(args);
                for (TensorRef r : callArgs.initialState()) {
                    withStates.add(port(produced, r, spec));
                }
                Layer layer = translated.get(e.name());
                if (layer == null) {
                    layer = registry.translate(spec, args.stream().map(g::shapeOf).toList(),
                            new CallKwargs(callArgs.kwargs(), "inbound node " + call.node()), ctx);
                    translated.put(e.name(), layer);
                    firstKwargs.put(e.name(), callArgs.kwargs());
                } else if (registry.readsCallKwargs(e.cls()) && !firstKwargs.get(e.name()).equals(callArgs.kwargs())) {
                    throw ctx.error(spec, "is called with other keyword arguments at inbound node " + call.node()
                            + " (" + Echo.of(callArgs.kwargs().toString()) + ") than at its first call ("
                            + Echo.of(firstKwargs.get(e.name()).toString()) + "), which is not supported");
                }
                if (!callArgs.initialState().isEmpty() && g.masked(args.get(0)) && !ctx.version().isKeras3()) {
                    trace.keras3Differs(spec.describe() + " reads a masked sequence with initial_state, whose"
                            + " mask tf.keras 2 applies and Keras 3 ignores: as a Keras 3 file it would compute"
                            + " otherwise");
                }
                if (!callArgs.initialState().isEmpty() && !ctx.version().isKeras3()
                        && layer.recurrent().filter(RecurrentLayer::stateful).isPresent()) {
                    trace.keras3Differs(spec.describe() + " is stateful and given initial_state: tf.keras 2 starts"
                            + " a call from its carried states once they are non-zero, where Keras 3 ignores them"
                            + " for the given ones: as a Keras 3 file it would compute otherwise");
                }
                out = SequentialBuilder.apply(g, layer, withStates, spec, ctx);
            }
            produced.put(key(e.name(), call.node()), out);
            trace.callOn(e.name(), call.node(), args.stream().map(g::shapeOf).toList(),
                    out.stream().map(g::shapeOf).toList());
        }
        List<Port> outputs = new ArrayList<>();
        List<TensorRef> listed = InboundNodes.parseEndpoints(model, "output_layers");
        List<TensorRef> refs = outputRefs();
        for (int i = 0; i < refs.size(); i++) {
            TensorRef ref = refs.get(i);
            List<Port> ports = produced.get(key(ref.layer(), ref.node()));
            if (ports == null || ref.tensor() < 0 || ref.tensor() >= ports.size()) {
                throw model.error("output_layers", "names " + Echo.of(listed.get(i)) + ", which no layer produces");
            }
            outputs.add(ports.get(ref.tensor()));
        }
        return outputs;
    }

    /**
     * The model's outputs as calls are numbered in inbound nodes. Keras 3 numbers a nested Functional's calls from 1
     * in {@code output_layers} (its {@code get_config} counts the model's own built-in node there) but from 0 in
     * inbound nodes; Keras 1/2 configs number both from 1 ({@link Entry#nodeBase}).
     */
    private List<TensorRef> outputRefs() {
        List<TensorRef> out = new ArrayList<>();
        for (TensorRef r : InboundNodes.parseEndpoints(model, "output_layers")) {
            Entry e = byName.get(r.layer());
            if (ctx.version().isKeras3() && e != null && NestedModel.isModel(e.cls()) && !"Sequential".equals(e.cls())) {
                if (r.node() < 1) {
                    throw model.error("output_layers", "names " + Echo.of(r) + ", but Keras 3 numbers the calls of a"
                            + " nested Functional model from 1 there");
                }
                r = new TensorRef(r.layer(), r.node() - 1, r.tensor());
            }
            out.add(r);
        }
        return out;
    }

    /** Every needed call of every non-input layer, its references parsed and checked to name existing calls. */
    private List<Call> calls(Map<String, List<Port>> inputs, Set<String> needed) {
        List<Call> calls = new ArrayList<>();
        long refs = 0;
        for (Entry e : byName.values()) {
            if (TranslatorRegistry.isInputLayer(e.cls())) {
                continue;
            }
            for (int n = 0; n < e.inbound().size(); n++) {
                int node = n + e.nodeBase();
                if (!needed.contains(key(e.name(), node))) {
                    continue;
                }
                CallArgs callArgs = InboundNodes.parseCall(e.inbound().get(n), e.config(),
                        TranslatorRegistry.takesInitialState(e.cls()), TranslatorRegistry.takesQueryValueKey(e.cls()));
                List<TensorRef> parsed = callArgs.all();
                refs += parsed.size();
                ctx.limits().check(Limit.MAX_GRAPH_NODES, refs, file + ": the Functional model's tensor references");
                for (TensorRef r : parsed) {
                    requireExists(r, e, inputs);
                }
                calls.add(new Call(e, node, parsed, callArgs, calls.size()));
            }
        }
        return calls;
    }

    private void requireExists(TensorRef r, Entry user, Map<String, List<Port>> inputs) {
        Entry producer = byName.get(r.layer());
        String at = file + ": layer '" + Echo.of(prefix + user.name()) + "' (" + Echo.of(user.cls())
                + ") is called on tensor " + Echo.of(r);
        if (producer == null) {
            throw new KerasImportException(at + ", but the model has no layer '" + Echo.of(r.layer())
                    + "' (a dangling inbound node)");
        }
        if (TranslatorRegistry.isInputLayer(producer.cls())) {
            if (!inputs.containsKey(key(r.layer(), r.node()))) {
                throw new KerasImportException(at + ", but that is not one of the model's input_layers (an unlisted"
                        + " model input, or a call of an InputLayer that does not exist)");
            }
        } else if (r.node() < producer.nodeBase() || r.node() - producer.nodeBase() >= producer.inbound().size()) {
            throw new KerasImportException(at + ", but layer '" + Echo.of(r.layer()) + "' is called only "
                    + producer.inbound().size() + " time(s) (a dangling inbound node)");
        }
    }

    /** Fails naming a cycle when not every call can be ordered after the calls it consumes. */
    private void order(List<Call> calls, Map<String, List<Port>> inputs) {
        List<Call> done = sorted(calls, inputs);
        if (done.size() == calls.size()) {
            return;
        }
        Set<String> ordered = new HashSet<>(inputs.keySet());
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

    /** How many calls read each tensor ({@code layer#node#tensor}), a call reading one tensor twice counted once. */
    private static Map<String, Integer> readers(List<Call> calls) {
        Map<String, Integer> n = new HashMap<>();
        for (Call c : calls) {
            Set<String> mine = new HashSet<>();
            for (TensorRef r : c.refs()) {
                mine.add(key(r.layer(), r.node()) + "#" + r.tensor());
            }
            for (String k : mine) {
                n.merge(k, 1, Integer::sum);
            }
        }
        return n;
    }

    /**
     * Refuses a Keras 3 MultiHeadAttention that reads a masked tensor which other layers read too: Keras 3's
     * {@code call} clears the masks of the tensors it reads ({@code set_keras_mask(value, None)}), so the layers that
     * Keras runs after it see that tensor unmasked, and which those are depends on Keras's execution order.
     */
    private void refuseClearedMasks(CallArgs call, List<Port> args, ShapedGraph g, LayerSpec spec,
                                    Map<String, Integer> readers) {
        if (!ctx.version().isKeras3() || !"MultiHeadAttention".equals(spec.className())) {
            return;
        }
        for (int i = 0; i < args.size(); i++) {
            TensorRef r = call.args().get(i);
            if (g.masked(args.get(i)) && readers.getOrDefault(key(r.layer(), r.node()) + "#" + r.tensor(), 0) > 1) {
                throw ctx.error(spec, "reads the masked tensor " + Echo.of(r) + ", which other layers read too:"
                        + " Keras 3's MultiHeadAttention clears the mask of the tensors it reads, so whether those"
                        + " layers see the mask depends on the order Keras runs them in; jkeras refuses such a model"
                        + " (give each layer its own masked tensor, e.g. through its own Embedding or LSTM)");
            }
        }
    }

    /**
     * Accepts a {@code mask} keyword argument only as Keras 3 records the mask it propagated itself: a tensor made
     * by Keras ops (a {@code compute_mask}'s {@code NotEqual}/{@code Any}) on a call whose input jkeras also sees
     * masked, so the mask jkeras propagates is the same one. An explicit mask of the user's is refused.
     */
    private void checkMask(CallArgs call, List<Port> args, ShapedGraph g, LayerSpec spec) {
        for (TensorRef m : call.mask()) {
            Entry from = byName.get(m.layer());
            if (from == null || !from.op() || args.stream().noneMatch(g::masked)) {
                throw ctx.error(spec, "is called with an explicit mask " + Echo.of(m) + ", which is not supported"
                        + " (only the masks Keras propagates from Masking or Embedding(mask_zero=True) are)");
            }
        }
    }

    /**
     * The calls ({@code layer#node}) the model outputs depend on. Others are skipped: Keras 3 records the ops a
     * layer's {@code compute_mask} ran while the model was built (a Masking layer's {@code NotEqual} and
     * {@code Any}) as dangling nodes that no output reads.
     */
    private Set<String> needed() {
        Set<String> seen = new HashSet<>();
        Deque<TensorRef> todo = new ArrayDeque<>(outputRefs());
        while (!todo.isEmpty()) {
            TensorRef r = todo.pop();
            Entry e = byName.get(r.layer());
            int at = e == null ? -1 : r.node() - e.nodeBase();
            if (e == null || !seen.add(key(r.layer(), r.node())) || at < 0 || at >= e.inbound().size()) {
                continue; // unknown names and missing calls fail later with the full message
            }
            todo.addAll(InboundNodes.parseCall(e.inbound().get(at), e.config(),
                    TranslatorRegistry.takesInitialState(e.cls()), TranslatorRegistry.takesQueryValueKey(e.cls())).all());
        }
        return seen;
    }

    private Port port(Map<String, List<Port>> produced, TensorRef ref, LayerSpec spec) {
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
