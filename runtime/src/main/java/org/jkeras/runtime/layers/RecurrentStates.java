package org.jkeras.runtime.layers;

/** Checks the state arrays handed to {@link RecurrentLayer#applyWithState}. */
final class RecurrentStates {
    private RecurrentStates() {
    }

    /** Throws naming the layer unless there are {@code count} arrays of batch*units values. */
    static void check(SingleInputLayer layer, float[][] states, int count, int batch, int units) {
        int need = batch * units;
        boolean ok = states.length == count;
        for (int i = 0; ok && i < count; i++) {
            ok = states[i] != null && states[i].length == need;
        }
        if (!ok) {
            throw new IllegalArgumentException(layer.describe() + " needs " + count + " state array(s) of " + need
                    + " values (batch " + batch + " x " + units + " units)");
        }
    }
}
