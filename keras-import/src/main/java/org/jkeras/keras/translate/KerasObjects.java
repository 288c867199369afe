package org.jkeras.keras.translate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import tools.jackson.databind.JsonNode;

/**
 * Refuses custom objects anywhere in a model config, as Keras's {@code deserialize_keras_object} does when no
 * custom object is registered: a serialized object whose {@code module} is not Keras ({@code keras} or
 * {@code keras.*}; {@code builtins} for a function named by a string), or whose {@code registered_name} is
 * neither empty nor its own class name ({@code "my_package>MyLayer"}), is user code that Keras would have to
 * import. jkeras never runs code from a file and must not run such an object as the built-in class of the same
 * name; it runs one only when the user registered a Java implementation of it ({@code allowed} holds its
 * registered names). Keras 2 configs have no module: a class name with {@code >} ({@code package>Name}) is a
 * registered custom class there. Python lambdas ({@code __lambda__}) are refused too.
 */
public final class KerasObjects {
    private KerasObjects() {
    }

    /**
     * Fails on the first custom object in {@code config}.
     *
     * @param allowed registered names (or class names) of custom layers the user supplied implementations for
     * @throws KerasImportException naming the layer, the object and how to supply an implementation
     */
    public static void refuseCustom(JsonNode config, String file, Set<String> allowed) {
        // iterative walk: the depth is bounded by the JSON limits, but stay off the stack anyway
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {config, "the model"});
        while (!todo.isEmpty()) {
            Object[] item = todo.pop();
            JsonNode n = (JsonNode) item[0];
            String layer = (String) item[1];
            if (n.isObject()) {
                String here = layerName(n, layer);
                check(n, file, here, allowed);
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    todo.push(new Object[] {e.getValue(), here});
                }
            } else if (n.isArray()) {
                for (JsonNode v : n.values()) {
                    todo.push(new Object[] {v, layer});
                }
            }
        }
    }

    /** {@code layer 'x' (Cls)} when the object is a layer (class name and a config with a name), else the enclosing one. */
    private static String layerName(JsonNode n, String enclosing) {
        JsonNode cls = n.get("class_name");
        JsonNode cfg = n.get("config");
        JsonNode name = cfg != null && cfg.isObject() ? cfg.get("name") : null;
        if (cls != null && cls.isString() && name != null && name.isString()) {
            return "layer '" + Echo.of(name.stringValue()) + "' (" + Echo.of(cls.stringValue()) + ")";
        }
        return enclosing;
    }

    private static void check(JsonNode n, String file, String layer, Set<String> allowed) {
        JsonNode clsNode = n.get("class_name");
        if (clsNode == null || !clsNode.isString()) {
            return;
        }
        String cls = clsNode.stringValue();
        if (Set.of("Lambda", "TFOpLambda", "SlicingOpLambda").contains(cls)) {
            throw new KerasImportException(file + ": " + layer + ": Lambda layers hold Python code; jkeras never runs"
                    + " code from a model file. Replace the Lambda with built-in layers and re-save the model");
        }
        if ("__lambda__".equals(cls)) {
            throw new KerasImportException(file + ": " + layer + ": holds a Python lambda (class __lambda__), i.e."
                    + " code; jkeras never runs code from a model file. Replace it with built-in layers and"
                    + " functions and save the model again");
        }
        String registered = text(n.get("registered_name"));
        String module = text(n.get("module"));
        if (allowed.contains(cls) || registered != null && allowed.contains(registered)) {
            return; // the user registered an implementation
        }
        boolean customName = registered != null && !registered.isEmpty() && !registered.equals(cls)
                && !(cls.equals("function") && registered.equals(text(n.get("config"))));
        boolean customModule = module != null && !module.equals("keras") && !module.startsWith("keras.")
                && !(module.equals("builtins") && cls.equals("function")) && !isKeras2NestedModel(cls, module);
        boolean keras2Registered = module == null && cls.contains(">") && !isKerasBuiltinRegistered(cls);
        if (customName || customModule || keras2Registered) {
            throw new KerasImportException(file + ": " + layer + ": uses the custom object " + Echo.of(cls)
                    + (module != null ? " from module '" + Echo.of(module) + "'" : "")
                    + (registered != null ? " (registered_name '" + Echo.of(registered) + "')" : "")
                    + ", which is user code; jkeras never runs code from a model file, and Keras itself refuses"
                    + " it unless the class is registered. To run a custom layer, register a Java implementation"
                    + " under that name (LoadOptions.builder().customLayer(name, translator))");
        }
    }

    /** tf.keras 2's {@code to_json} names the module of a nested Functional model (its engine's, not user code). */
    private static boolean isKeras2NestedModel(String cls, String module) {
        return "Functional".equals(cls) && Set.of("tf_keras.src.engine.functional", "keras.src.engine.functional",
                "keras.engine.functional").contains(module);
    }

    /** tf.keras 2 registers its own new optimizers under the package {@code Custom} ({@code Custom>Adam}). */
    private static boolean isKerasBuiltinRegistered(String cls) {
        return Set.of("Custom>Adam", "Custom>AdamW", "Custom>SGD", "Custom>RMSprop", "Custom>Adagrad", "Custom>Nadam",
                "Custom>Adamax", "Custom>Adadelta", "Custom>Ftrl", "Custom>Lion").contains(cls);
    }

    private static String text(JsonNode v) {
        return v != null && v.isString() ? v.stringValue() : null;
    }
}
