package org.jkeras.keras.graph;

import java.util.ArrayList;
import java.util.List;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.keras.translate.CallKwargs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses the ways configs refer to tensors. Keras 1/2: an inbound node is a list of
 * {@code [layer, node, tensor(, kwargs)]}; Keras 3: {@code {"args": [...], "kwargs": {...}}}
 * whose args hold {@code {"class_name": "__keras_tensor__", "config": {"keras_history": [layer,
 * node, tensor]}}}. {@code input_layers}/{@code output_layers} are lists of triples, or one triple.
 * A recurrent layer's {@code initial_state} is the Keras 3 keyword argument of that name; Keras 2 lists the
 * states as extra tensors after the sequence.
 */
final class InboundNodes {
    private static final int MAX_REFS = 10_000;

    private InboundNodes() {
    }

    /**
     * The input tensors of one call (inbound node) of a layer, split into positional inputs and initial states.
     *
     * @param recurrent true for a layer taking {@code initial_state} (Keras 2 lists the states after the sequence)
     */
    static CallArgs parseCall(JsonNode node, ConfigNode where, boolean recurrent) {
        return parseCall(node, where, recurrent, false);
    }

    /** Keyword arguments that are inputs of a {@code call(query, value, key=None, ...)}, in positional order. */
    private static final List<String> QVK = List.of("query", "value", "key");

    /**
     * As {@link #parseCall(JsonNode, ConfigNode, boolean)}; with {@code qvk} (MultiHeadAttention's
     * {@code call(query, value, key=None)}) the tensors passed as keyword arguments {@code query}, {@code value} and
     * {@code key} follow the positional ones in that order (tf.keras 2 records {@code value} and {@code key} so).
     */
    static CallArgs parseCall(JsonNode node, ConfigNode where, boolean recurrent, boolean qvk) {
        List<TensorRef> refs = new ArrayList<>();
        java.util.Map<String, TensorRef> named = new java.util.HashMap<>();
        List<TensorRef> states = new ArrayList<>();
        List<TensorRef> mask = new ArrayList<>();
        ObjectNode options = CallKwargs.emptyObject();
        if (node.isObject()) { // Keras 3
            JsonNode args = node.get("args");
            if (args != null) {
                collectKeras3(args, refs, where, 0);
            }
            JsonNode kwargs = node.get("kwargs");
            if (kwargs != null && kwargs.isObject()) {
                for (var e : kwargs.properties()) {
                    List<TensorRef> kw = new ArrayList<>();
                    collectKeras3(e.getValue(), kw, where, 0);
                    if (kw.isEmpty()) {
                        if (!hasTensor(e.getValue(), 0)) {
                            options.set(e.getKey(), e.getValue());
                        }
                        continue;
                    }
                    if (recurrent && "initial_state".equals(e.getKey())) {
                        states.addAll(kw);
                    } else if (qvk && QVK.contains(e.getKey()) && kw.size() == 1) {
                        named.put(e.getKey(), kw.get(0));
                    } else if ("mask".equals(e.getKey())) {
                        mask.addAll(kw);
                    } else {
                        throw where.error("inbound_nodes", "passes tensor(s) as keyword argument '" + e.getKey()
                                + "', which is not supported yet");
                    }
                }
            }
        } else if (node.isArray()) { // Keras 1/2
            for (JsonNode entry : node.values()) {
                TensorRef ref = triple(entry, where, "inbound_nodes");
                if (recurrent && !refs.isEmpty()) {
                    states.add(ref); // tf.keras 2: [sequence, state_1, ...]
                } else {
                    refs.add(ref);
                }
                if (entry.size() > 3 && entry.get(3).isObject()) {
                    for (String k : List.of("initial_state", "constants", "mask")) {
                        if (entry.get(3).hasNonNull(k)) {
                            throw where.error("inbound_nodes", "passes '" + k + "' as a keyword argument, which is"
                                    + " not supported yet");
                        }
                    }
                    for (var e : entry.get(3).properties()) {
                        if (looksLikeTensor(e.getValue())) {
                            if (!qvk || !QVK.contains(e.getKey())) {
                                throw where.error("inbound_nodes", "passes a tensor as keyword argument '"
                                        + org.jkeras.keras.Echo.of(e.getKey()) + "', which is not supported yet");
                            }
                            named.put(e.getKey(), triple(e.getValue(), where, "inbound_nodes"));
                        } else if (!options.has(e.getKey())) { // tf.keras repeats a list call's kwargs per tensor
                            options.set(e.getKey(), e.getValue());
                        }
                    }
                }
            }
        } else {
            throw where.error("inbound_nodes", "has an entry that is neither a list nor an object: "
                    + ConfigNode.abbreviate(node));
        }
        for (String k : QVK) {
            if (named.containsKey(k)) {
                refs.add(named.get(k));
            }
        }
        return new CallArgs(refs, states, mask, options);
    }

    /** A Keras 2 tensor reference in a kwargs dict: {@code [layer, node, tensor]}. */
    private static boolean looksLikeTensor(JsonNode v) {
        return v.isArray() && v.size() >= 3 && v.get(0).isString() && v.get(1).isIntegralNumber()
                && v.get(2).isIntegralNumber();
    }

    /** True when a Keras 3 keyword argument holds a tensor somewhere (depth-limited). */
    private static boolean hasTensor(JsonNode v, int depth) {
        if (depth > 16) {
            return true;
        }
        if (v.isObject()) {
            JsonNode cls = v.get("class_name");
            return cls != null && cls.isString() && "__keras_tensor__".equals(cls.stringValue());
        }
        if (v.isArray()) {
            for (JsonNode item : v.values()) {
                if (hasTensor(item, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void collectKeras3(JsonNode v, List<TensorRef> out, ConfigNode where, int depth) {
        if (depth > 16 || out.size() > MAX_REFS) {
            throw where.error("inbound_nodes", "is nested too deeply or too large");
        }
        if (v.isObject()) {
            JsonNode cls = v.get("class_name");
            if (cls != null && cls.isString() && "__keras_tensor__".equals(cls.stringValue())) {
                JsonNode cfg = v.get("config");
                JsonNode history = cfg == null ? null : cfg.get("keras_history");
                if (history == null) {
                    throw where.error("inbound_nodes", "has a tensor without keras_history: " + ConfigNode.abbreviate(v));
                }
                out.add(triple(history, where, "keras_history"));
            }
        } else if (v.isArray()) {
            for (JsonNode item : v.values()) {
                collectKeras3(item, out, where, depth + 1);
            }
        }
    }

    /** {@code input_layers} / {@code output_layers}: a list of triples or a single triple. */
    static List<TensorRef> parseEndpoints(ConfigNode model, String field) {
        List<JsonNode> items = model.array(field);
        List<TensorRef> refs = new ArrayList<>();
        if (!items.isEmpty() && items.get(0).isString()) {
            refs.add(triple(model.raw(field), model, field));
            return refs;
        }
        for (JsonNode item : items) {
            refs.add(triple(item, model, field));
        }
        return refs;
    }

    private static TensorRef triple(JsonNode t, ConfigNode where, String field) {
        if (t == null || !t.isArray() || t.size() < 3 || !t.get(0).isString() || !t.get(1).isIntegralNumber()
                || !t.get(2).isIntegralNumber() || t.get(1).intValue() < 0 || t.get(2).intValue() < 0) {
            throw where.error(field, "expected [layer name, node index, tensor index], got "
                    + ConfigNode.abbreviate(t));
        }
        return new TensorRef(t.get(0).stringValue(), t.get(1).intValue(), t.get(2).intValue());
    }
}
