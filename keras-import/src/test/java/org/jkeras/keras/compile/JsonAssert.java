package org.jkeras.keras.compile;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** JSON equality as Python reads it: numbers by value (1 == 1.0), objects by keys, order ignored. */
final class JsonAssert {
    private JsonAssert() {
    }

    static void assertSameJson(JsonNode expected, JsonNode actual, String where) {
        List<String> diffs = new ArrayList<>();
        compare(expected, actual, "$", diffs);
        if (!diffs.isEmpty()) {
            throw new AssertionError(where + ": JSON differs: " + diffs + "\nexpected " + expected + "\nactual   " + actual);
        }
    }

    private static void compare(JsonNode e, JsonNode a, String path, List<String> diffs) {
        if (e == null || a == null) {
            if (e != a) {
                diffs.add(path + ": expected " + e + ", actual " + a);
            }
            return;
        }
        if (e.isNumber() && a.isNumber()) {
            if (e.doubleValue() != a.doubleValue()) {
                diffs.add(path + ": expected " + e + ", actual " + a);
            }
        } else if (e.isObject() && a.isObject()) {
            for (String k : e.propertyNames()) {
                compare(e.get(k), a.get(k), path + "." + k, diffs);
            }
            for (String k : a.propertyNames()) {
                if (!e.has(k)) {
                    diffs.add(path + "." + k + ": unexpected " + a.get(k));
                }
            }
        } else if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) {
                diffs.add(path + ": expected " + e.size() + " elements, actual " + a.size());
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                compare(e.get(i), a.get(i), path + "[" + i + "]", diffs);
            }
        } else if (!e.equals(a)) {
            diffs.add(path + ": expected " + e + ", actual " + a);
        }
    }
}
