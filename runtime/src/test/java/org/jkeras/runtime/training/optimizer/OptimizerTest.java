package org.jkeras.runtime.training.optimizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeras.runtime.training.schedule.ExponentialDecay;
import org.junit.jupiter.api.Test;

/**
 * Optimizer behaviour beyond the training fixtures' trajectories: null gradients, weight-decay
 * exclusion, clipping corner cases, state export/import and its errors, refusals, and that an
 * update allocates nothing.
 *
 * <p>Expected numbers were produced with Keras 3.15.1 / TensorFlow 2.21.0: {@code opt.apply(grads,
 * variables)} on {@code keras.Variable}s named as the specs here, printing {@code repr(float(v))}.
 */
class OptimizerTest {
    private static List<VariableSpec> specs(String a, String b) {
        return List.of(new VariableSpec(a, new int[] {3}), new VariableSpec(b, new int[] {2}));
    }

    @Test
    void nullGradientsExclusionAndGlobalClipnormMatchKeras() {
        // AdamW(lr 0.01, weight_decay 0.1, global_clipnorm 0.3), exclude_from_weight_decay(var_names=["bias"]);
        // step 1 has no gradient for "bias" (None in Keras), step 2 has both.
        Optimizer opt = AdamW.builder().learningRate(0.01).weightDecay(0.1).globalClipnorm(0.3)
                .excludeFromWeightDecay(List.of("bias")).build();
        OptimizerState s = opt.newState(specs("kernel", "bias"));
        float[] kernel = {0.5f, -1.0f, 2.0f};
        float[] bias = {0.25f, -0.75f};
        opt.apply(s, List.of(kernel, bias), Arrays.asList(new float[] {0.1f, -0.2f, 0.3f}, null));
        assertArrayEquals(new float[] {0.4895004630088806f, -0.9890002608299255f, 1.9880002737045288f}, kernel, 1e-7f);
        assertArrayEquals(new float[] {0.25f, -0.75f}, bias);
        assertEquals(1, s.iterations());
        opt.apply(s, List.of(kernel, bias), List.of(new float[] {0.05f, 0.0f, -0.1f}, new float[] {0.2f, 0.1f}));
        assertArrayEquals(new float[] {0.4793875217437744f, -0.9813108444213867f, 1.9826834201812744f}, kernel, 1e-7f);
        assertArrayEquals(new float[] {0.2425588220357895f, -0.7574410438537598f}, bias, 1e-7f);
        List<NamedArray> vars = s.exportVariables();
        assertEquals(List.of("iteration", "learning_rate", "kernel_momentum", "kernel_velocity", "bias_momentum",
                "bias_velocity"), vars.stream().map(NamedArray::name).toList());
        assertArrayEquals(new float[] {2f}, vars.get(0).data());
        assertEquals("int64", vars.get(0).dtype());
        assertArrayEquals(new float[] {0.009999999776482582f}, vars.get(1).data());
        assertArrayEquals(new float[] {0.012216053903102875f, -0.014432107098400593f, 0.01164816040545702f},
                vars.get(2).data(), 1e-9f);
        assertArrayEquals(new float[] {8.922143024392426e-06f, 2.5688572350190952e-05f, 6.779928662581369e-05f},
                vars.get(3).data(), 1e-11f);
        assertArrayEquals(new float[] {0.020000001415610313f, 0.010000000707805157f}, vars.get(4).data(), 1e-9f);
        assertArrayEquals(new float[] {4.000000626547262e-05f, 1.0000001566368155e-05f}, vars.get(5).data(), 1e-11f);
    }

    @Test
    void clipnormLeavesZeroAndShortGradientsAsKeras() {
        // SGD(lr 0.5, clipnorm 0.7): a zero gradient stays 0, a gradient of norm 0.5 is unchanged.
        Optimizer opt = Sgd.builder().learningRate(0.5).clipnorm(0.7).build();
        OptimizerState s = opt.newState(specs("a", "b"));
        float[] a = {0.5f, -1.0f, 2.0f};
        float[] b = {0.25f, -0.75f};
        opt.apply(s, List.of(a, b), List.of(new float[3], new float[] {0.3f, 0.4f}));
        assertArrayEquals(new float[] {0.5f, -1.0f, 2.0f}, a);
        assertArrayEquals(new float[] {0.09999999403953552f, -0.949999988079071f}, b);
    }

    @Test
    void exportOrderFollowsKerasBuild() {
        List<VariableSpec> v = List.of(new VariableSpec("seq/lstm/lstm_cell/kernel", new int[] {2, 8}),
                new VariableSpec("seq/dense/bias", new int[] {1}));
        assertEquals(List.of("iteration", "learning_rate"), names(Sgd.builder().build().newState(v)));
        assertEquals(List.of("iteration", "seq_lstm_lstm_cell_kernel_momentum", "seq_dense_bias_momentum"),
                names(Sgd.builder().momentum(0.9).learningRate(new ExponentialDecay(0.1, 10, 0.5)).build().newState(v)));
        assertEquals(List.of("iteration", "learning_rate", "seq_lstm_lstm_cell_kernel_velocity", "seq_dense_bias_velocity",
                "seq_lstm_lstm_cell_kernel_momentum", "seq_dense_bias_momentum",
                "seq_lstm_lstm_cell_kernel_average_gradient", "seq_dense_bias_average_gradient"),
                names(RmsProp.builder().momentum(0.5).centered(true).build().newState(v)));
        assertEquals(List.of("iteration", "learning_rate", "seq_lstm_lstm_cell_kernel_momentum",
                "seq_lstm_lstm_cell_kernel_velocity", "seq_dense_bias_momentum", "seq_dense_bias_velocity", "variable"),
                names(Nadam.builder().build().newState(v)));
        OptimizerState adagrad = Adagrad.builder().initialAccumulatorValue(0.25).build().newState(v);
        assertArrayEquals(new int[] {2, 8}, adagrad.exportVariables().get(2).shape());
        assertEquals(0.25f, adagrad.slot("accumulator", 1)[0]);
        assertEquals(List.of("accumulator"), adagrad.slotKinds());
    }

    @Test
    void importRestoresAndRejectsMismatches() {
        Optimizer opt = Adam.builder().amsgrad(true).build();
        OptimizerState a = opt.newState(specs("k", "b"));
        float[] k = {1, 2, 3};
        float[] b = {4, 5};
        opt.apply(a, List.of(k, b), List.of(new float[] {0.1f, 0.2f, 0.3f}, new float[] {-0.1f, 0.5f}));
        opt.apply(a, List.of(k, b), List.of(new float[] {0.3f, 0.2f, 0.1f}, new float[] {0.1f, 0.5f}));
        List<NamedArray> saved = a.exportVariables();
        OptimizerState c = opt.restoreState(specs("k", "b"), saved);
        assertEquals(2, c.iterations());
        assertEquals(saved, c.exportVariables());
        float[] k2 = k.clone();
        float[] b2 = b.clone();
        opt.apply(a, List.of(k, b), List.of(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f}));
        opt.apply(c, List.of(k2, b2), List.of(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f}));
        assertArrayEquals(k, k2);
        assertArrayEquals(b, b2);

        OptimizerState fresh = opt.newState(specs("k", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fresh.importVariables(saved.subList(0, 5)));
        assertTrue(e.getMessage().contains("has 8 variables") && e.getMessage().contains("has 5"), e.getMessage());
        List<NamedArray> badShape = new ArrayList<>(saved);
        badShape.set(2, new NamedArray("k_momentum", new int[] {1, 3}, new float[3]));
        e = assertThrows(IllegalArgumentException.class, () -> fresh.importVariables(badShape));
        assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("(3,)"), e.getMessage());
        List<NamedArray> badIteration = new ArrayList<>(saved);
        badIteration.set(0, new NamedArray("iteration", new int[0], new float[] {1.5f}, "int64"));
        assertThrows(IllegalArgumentException.class, () -> fresh.importVariables(badIteration));
        assertEquals(0, fresh.iterations());
    }

    @Test
    void applyChecksItsArguments() {
        Optimizer opt = Sgd.builder().build();
        OptimizerState s = opt.newState(specs("k", "b"));
        float[] k = new float[3];
        float[] b = new float[2];
        assertThrows(IllegalArgumentException.class,
                () -> Sgd.builder().build().apply(s, List.of(k, b), List.of(k, b)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.apply(s, List.of(k, new float[3]), List.of(k, b)));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.apply(s, List.of(k, b), Arrays.asList(null, null)));
        assertEquals("No gradients provided for any variable.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> opt.newState(specs("x", "x")));
    }

    @Test
    void unsupportedAndInvalidOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().useEma(true));
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().gradientAccumulationSteps(4));
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().lossScaleFactor(128.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sgd.builder().clipnorm(1.0).clipvalue(0.5).build());
        assertTrue(e.getMessage().contains("clipnorm=1.0") && e.getMessage().contains("clipvalue=0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sgd.builder().momentum(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder().weightDecay(null).build());
        e = assertThrows(IllegalArgumentException.class,
                () -> Adam.builder().excludeFromWeightDecay(List.of("bias|gamma")).build());
        assertTrue(e.getMessage().contains("bias|gamma"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().learningRate(Double.NaN).build());
    }

    @Test
    void keepsKerasDefaults() {
        Adam adam = Adam.builder().build();
        assertEquals("adam", adam.name());
        assertEquals(0.001, adam.constantLearningRate());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-7, adam.epsilon());
        assertNull(adam.weightDecay());
        assertEquals(0.004, AdamW.builder().build().weightDecay());
        assertEquals("adam_w", AdamW.builder().build().name());
        assertEquals("rm_sprop", RmsProp.builder().build().name());
        assertEquals(0.01f, Sgd.builder().build().learningRate(5));
        assertEquals(0.1, Adagrad.builder().build().initialAccumulatorValue());
        OptimizerState s = Sgd.builder().learningRate(0.1).build().newState(specs("k", "b"));
        s.setLearningRate(0.05f);
        assertEquals(0.05f, s.exportVariables().get(1).data()[0]);
        OptimizerState scheduled = Sgd.builder().learningRate(new ExponentialDecay(0.1, 10, 0.5)).build()
                .newState(specs("k", "b"));
        assertThrows(IllegalStateException.class, () -> scheduled.setLearningRate(0.1f));
    }

    @Test
    void applyAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<VariableSpec> v = List.of(new VariableSpec("k", new int[] {64, 64}), new VariableSpec("b", new int[] {64}));
        List<float[]> values = List.of(new float[64 * 64], new float[64]);
        List<float[]> grads = List.of(new float[64 * 64], new float[64]);
        Arrays.fill(grads.get(0), 0.01f);
        Arrays.fill(grads.get(1), -0.02f);
        for (Optimizer opt : List.of(Sgd.builder().momentum(0.9).nesterov(true).clipnorm(1.0).build(),
                Adam.builder().amsgrad(true).weightDecay(0.01).build(),
                AdamW.builder().globalClipnorm(0.5).learningRate(new ExponentialDecay(0.1, 3, 0.5)).build(),
                RmsProp.builder().momentum(0.5).centered(true).clipvalue(0.1).build(), Adagrad.builder().build(),
                Nadam.builder().build())) {
            OptimizerState s = opt.newState(v);
            for (int i = 0; i < 200; i++) {
                opt.apply(s, values, grads); // warm up (JIT)
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                opt.apply(s, values, grads);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 1024, opt.kind() + " allocated " + allocated + " bytes in 100 updates");
        }
    }

    private static List<String> names(OptimizerState s) {
        return s.exportVariables().stream().map(NamedArray::name).toList();
    }
}
