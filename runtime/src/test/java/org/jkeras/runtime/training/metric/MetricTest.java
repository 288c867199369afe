package org.jkeras.runtime.training.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Keras's running-mean semantics and compile-string resolution.
 *
 * <p>Expected numbers were produced with Keras 3.15.1 / TensorFlow 2.21.0 by
 * {@code metric.update_state(...)} and {@code repr(float(metric.result()))} (and of the
 * {@code total} / {@code count} variables).
 */
class MetricTest {
    private static final Tensor V = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

    @Test
    void lossTrackerWeighsBatchesBySize() {
        // Mean(name="loss").update_state(loss, sample_weight=batch_size), as Keras's train_step does
        Mean m = new Mean("loss");
        m.update(0.5f, 4f);
        m.update(0.25f, 2f);
        assertEquals(0.4166666567325592, m.result(), 0);
        assertEquals(2.5f, m.total());
        assertEquals(6f, m.count());
        assertEquals("loss", m.name());
    }

    @Test
    void weightsOfEveryRankAsKeras() {
        Mean m = new Mean();
        m.update(V, Tensor.of(new float[] {1, 0, 2, 0.5f, 0.5f, 0}, 2, 3));
        assertEquals(2.874999761581421, m.result(), 1e-7);
        assertEquals(3.8333332538604736f, m.total(), 1e-6f);
        assertEquals(1.3333333730697632f, m.count(), 1e-7f);
        m.reset();
        m.update(V, Tensor.of(new float[] {3f}));
        assertEquals(3.5, m.result(), 0);
        assertEquals(10.5f, m.total());
        assertEquals(3f, m.count());
        m.reset();
        m.update(V, null);
        assertEquals(3.5, m.result(), 0);
        assertEquals(2f, m.count());
        m.reset();
        m.update(V, Tensor.of(new float[] {2, 1}, 2));
        assertEquals(3.0, m.result(), 0);
        assertEquals(3f, m.count());
        assertThrows(IllegalArgumentException.class, () -> new Mean().update(V, Tensor.of(new float[] {1, 2, 3}, 3)));
        assertEquals(0.0, new Mean().result());
    }

    @Test
    void accuraciesAsKeras() {
        Metric sparse = new SparseCategoricalAccuracy();
        sparse.update(Tensor.of(new float[] {1, 2.5f, 0}, 3, 1), Tensor.of(new float[] {0.1f, 0.8f, 0.1f, 0, 0, 1,
            0.5f, 0.5f, 0}, 3, 3), null);
        assertEquals(0.6666666865348816, sparse.result(), 1e-7);
        Metric binary = new BinaryAccuracy();
        binary.update(Tensor.of(new float[] {1, 0, 0.9f}, 3, 1), Tensor.of(new float[] {0.7f, 0.5f, 0.9f}, 3, 1), null);
        assertEquals(0.6666666865348816, binary.result(), 1e-7);
    }

    @Test
    void accuracyResolvesByShapesAsKeras3() {
        assertInstanceOf(BinaryAccuracy.class, Metrics.resolve("accuracy", new int[] {4, 1}, new int[] {4, 1}));
        assertInstanceOf(BinaryAccuracy.class, Metrics.resolve("acc", new int[] {4}, new int[] {4, 1}));
        assertInstanceOf(SparseCategoricalAccuracy.class, Metrics.resolve("accuracy", new int[] {4}, new int[] {4, 3}));
        assertInstanceOf(SparseCategoricalAccuracy.class, Metrics.resolve("ACC", new int[] {4, 1}, new int[] {4, 3}));
        assertInstanceOf(CategoricalAccuracy.class, Metrics.resolve("accuracy", new int[] {4, 3}, new int[] {4, 3}));
        Metric m = Metrics.resolve("acc", new int[] {4, 3}, new int[] {4, 3});
        assertEquals("acc", m.name());
        assertEquals("mse", Metrics.resolve("mse", new int[] {4, 1}, new int[] {4, 1}).name());
        assertEquals("MeanAbsoluteError", Metrics.resolve("mae", new int[] {4, 1}, new int[] {4, 1}).kind());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.resolve("auc", new int[] {4, 1}, new int[] {4, 1}));
        assertTrue(e.getMessage().contains("'auc'"), e.getMessage());
    }
}
