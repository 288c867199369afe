package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.FixtureCases;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.layers.Weight;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The {@code precision} fixture set: {@link Model#withBfloat16Kernels()} against Keras. Each {@code __bf16} case
 * holds Keras's outputs for its model with every kernel rounded by {@code keras.ops.cast(kernel, "bfloat16")}; the
 * model file itself is float32, so jkeras does the rounding. Batch 1 runs the 16-bit batch-1 kernels (at 1 and 2
 * threads), batch 3 the batch products over the rounded values.
 */
class PrecisionFixtureConformanceTest {
    private static final String SET = "precision";
    /**
     * How far a bfloat16-kernel model's outputs may be from the float32 model's (the documented tolerance of the
     * option, README "bfloat16 kernels"): bfloat16 keeps 8 significant bits, so each weight moves by up to 2^-9 of
     * itself; the fixtures' outputs moved by 4.5e-4 to 4.2e-3.
     */
    private static final double BFLOAT16_VS_FLOAT32 = 1e-2;

    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = SET, tag = "bfloat16_kernels")
    void roundedKernelsMatchKerasOnTheRoundedModel(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null)).withBfloat16Kernels();
        assertEquals("bfloat16", model.metadata().get("kernel_precision"));
        for (int threads : new int[] {1, 2}) {
            List<Tensor> outputs = model.predict(TestFiles.inputs(c), threads);
            assertEquals(c.outputs().size(), outputs.size(), c.id() + ": number of outputs");
            for (int i = 0; i < outputs.size(); i++) {
                Tolerance.assertMatches(c, i, outputs.get(i).data(), outputs.get(i).shape());
            }
        }
    }

    /** The fixture comparison of the option's error: against Keras's float32 outputs of the same model and inputs. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = SET, tag = "bfloat16_kernels")
    void roundedKernelsStayWithinTheDocumentedToleranceOfFloat32(FixtureCase c) {
        FixtureCase float32 = Fixtures.manifest(SET).byId(c.id().substring(0, c.id().length() - "__bf16".length()));
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        List<Tensor> outputs = model.withBfloat16Kernels().predict(TestFiles.inputs(c));
        double worst = 0;
        for (int i = 0; i < outputs.size(); i++) {
            Tolerance.assertClose(float32.outputs().get(i), outputs.get(i).data(), outputs.get(i).shape(),
                    BFLOAT16_VS_FLOAT32, 0, c.id() + " output " + i + " against float32 Keras");
            worst = Math.max(worst, TestFiles.maxAbsDiff(float32.outputs().get(i).data(), outputs.get(i).data()));
        }
        System.out.printf("%s: max |bfloat16 jkeras - float32 keras| = %.3g%n", c.id(), worst);
        assertNotEquals(0.0, worst, c.id() + ": rounding the kernels changed nothing");
    }

    /** Only the kernels are rounded: every other weight keeps its float32 bits, and the source model is unchanged. */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = SET, tag = "bfloat16_kernels")
    void onlyKernelsAreRounded(FixtureCase c) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        Model rounded = model.withBfloat16Kernels();
        int kernels = 0;
        for (int l = 0; l < model.layers().size(); l++) {
            List<Weight> before = model.layers().get(l).weights();
            List<Weight> after = rounded.layers().get(l).weights();
            assertEquals(before.size(), after.size());
            for (int w = 0; w < before.size(); w++) {
                float[] b = before.get(w).value().data();
                float[] a = after.get(w).value().data();
                String leaf = before.get(w).name().substring(before.get(w).name().lastIndexOf('/') + 1);
                boolean kernel = leaf.equals("kernel") || leaf.endsWith("_kernel");
                for (int i = 0; i < b.length; i++) {
                    int bits = Float.floatToRawIntBits(a[i]);
                    if (kernel) {
                        assertEquals(0, bits & 0xFFFF, before.get(w).name() + "[" + i + "] is not a bfloat16");
                        assertTrue(Math.abs(a[i] - b[i]) <= Math.abs(b[i]) / 256, before.get(w).name() + "[" + i + "]");
                    } else {
                        assertEquals(Float.floatToRawIntBits(b[i]), bits, before.get(w).name() + "[" + i + "]");
                    }
                }
                kernels += kernel ? 1 : 0;
            }
        }
        assertTrue(kernels >= 4, c.id() + ": " + kernels + " kernels");
        assertEquals(null, model.metadata().get("kernel_precision"), "the source model keeps float32 kernels");
    }

    /**
     * A layer whose kernels jkeras cannot rebuild with other values (MultiHeadAttention, an RNN over StackedRNNCells:
     * neither is trainable here) is refused by name, not left in float32 beside rounded layers.
     */
    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = "attention", family = "mha_self", format = "keras_zip")
    void aModelWithAMultiHeadAttentionIsRefusedNamingTheLayer(FixtureCase c) {
        refusedNamingTheLayer(c, "MultiHeadAttention");
    }

    @ParameterizedTest(name = "{0}")
    @FixtureCases(set = "cells", family = "stacked_cells", format = "keras_zip")
    void aModelWithStackedCellsIsRefusedNamingTheLayer(FixtureCase c) {
        refusedNamingTheLayer(c, "rnn_stack");
    }

    private static void refusedNamingTheLayer(FixtureCase c, String expected) {
        Model model = KerasModels.load(c.modelPath(), c.weightsPath().orElse(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, model::withBfloat16Kernels);
        assertTrue(e.getMessage().matches("bfloat16 kernels: layer '[^']+' \\(.+\\) holds a kernel that jkeras cannot"
                + " rebuild with other values.*; run this model with float32 kernels .*"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
