package org.jkeras.keras.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.Json;
import org.jkeras.runtime.training.loss.BinaryCrossentropy;
import org.jkeras.runtime.training.loss.Huber;
import org.jkeras.runtime.training.loss.Loss;
import org.jkeras.runtime.training.loss.MeanSquaredError;
import org.jkeras.runtime.training.loss.OutputLoss;
import org.jkeras.runtime.training.loss.Reduction;
import org.jkeras.runtime.training.loss.SparseCategoricalCrossentropy;
import org.jkeras.runtime.training.metric.BinaryAccuracy;
import org.jkeras.runtime.training.metric.MeanAbsoluteError;
import org.jkeras.runtime.training.metric.Metric;
import org.jkeras.runtime.training.metric.SparseCategoricalAccuracy;
import org.jkeras.runtime.training.optimizer.Adam;
import org.jkeras.runtime.training.optimizer.Optimizer;
import org.jkeras.runtime.training.optimizer.RmsProp;
import org.jkeras.runtime.training.optimizer.Sgd;
import org.jkeras.runtime.training.regularizer.L1L2;
import org.jkeras.runtime.training.regularizer.L2;
import org.jkeras.runtime.training.schedule.ExponentialDecay;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The config forms Keras versions write, read and refused. The JSON documents are copied from
 * files saved by Keras 3.15.1 ({@code compile_config} of a {@code .keras}, {@code training_config}
 * of an {@code .h5}) and tf.keras 2.21 ({@code training_config}).
 */
class ConfigFormsTest {
    /** Keras 3.15.1: a two-output functional model compiled with dicts of losses, weights and metrics. */
    private static final String KERAS3_MULTI = """
            {"optimizer": {"module": "keras.optimizers", "class_name": "RMSprop", "config": {"name": "rm_sprop",
             "learning_rate": 0.009999999776482582, "weight_decay": null, "clipnorm": 2.0, "global_clipnorm": null,
             "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
             "loss_scale_factor": null, "gradient_accumulation_steps": null, "rho": 0.9, "momentum": 0.0,
             "epsilon": 1e-07, "centered": false}, "registered_name": null},
             "loss": {"reg": "mse", "cls": "sparse_categorical_crossentropy"}, "loss_weights": {"reg": 0.5, "cls": 1.0},
             "metrics": {"cls": ["accuracy"], "reg": ["mae"]}, "weighted_metrics": null, "run_eagerly": false,
             "steps_per_execution": 1, "jit_compile": false}""";

    /** tf.keras 2.21: training_config of an .h5 (new optimizer registered as Custom>Adam). */
    private static final String TF_KERAS = """
            {"loss": "mse", "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "mae",
             "dtype": "float32", "fn": "mean_absolute_error"}}]], "weighted_metrics": null, "loss_weights": null,
             "optimizer_config": {"class_name": "Custom>Adam", "config": {"name": "Adam", "weight_decay": null,
             "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99,
             "ema_overwrite_frequency": null, "jit_compile": false, "is_legacy_optimizer": false,
             "learning_rate": 0.009999999776482582, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
             "amsgrad": false}}}""";

    @Test
    void keras3MultiOutputCompileConfig() {
        JsonNode cfg = Json.parse(KERAS3_MULTI, "test");
        CompileConfig c = CompileConfigs.fromKeras3(cfg, List.of("reg", "cls"), null, null, "m.keras: compile_config");
        RmsProp opt = assertInstanceOf(RmsProp.class, c.optimizer());
        assertEquals(2.0, opt.clipnorm());
        assertEquals(0.01f, opt.learningRate(0));
        List<OutputLoss> losses = c.losses();
        assertEquals(2, losses.size());
        assertEquals("reg", losses.get(0).output());
        assertEquals(new MeanSquaredError("mse", Reduction.SUM_OVER_BATCH_SIZE), losses.get(0).loss());
        assertEquals(0.5, losses.get(0).weight());
        assertInstanceOf(SparseCategoricalCrossentropy.class, losses.get(1).loss());
        assertEquals("sparse_categorical_crossentropy", losses.get(1).loss().name());
        Metric acc = MetricConfigs.fromKeras(c.metrics().get(1).get(0), "m", new int[] {4}, new int[] {4, 3});
        assertInstanceOf(SparseCategoricalAccuracy.class, acc);
        assertEquals("accuracy", acc.name());
        assertEquals("mae", MetricConfigs.fromKeras(c.metrics().get(0).get(0), "m", new int[] {4, 1},
                new int[] {4, 1}).name());
        JsonAssert.assertSameJson(cfg, CompileConfigs.toKerasConfig(c, c.optimizer()), "compile_config round trip");
    }

    @Test
    void tfKerasTrainingConfig() {
        CompileConfig c = CompileConfigs.fromTrainingConfig(Json.parse(TF_KERAS, "test"), List.of("dense"), null, null,
                "m.h5: training_config");
        Adam adam = assertInstanceOf(Adam.class, c.optimizer());
        assertEquals("Adam", adam.name());
        assertEquals(0.01f, adam.learningRate(3));
        assertEquals(1, c.losses().size());
        assertNull(c.losses().get(0).output());
        Metric mae = MetricConfigs.fromKeras(c.metrics().get(0).get(0), "m", new int[] {4, 1}, new int[] {4, 1});
        assertInstanceOf(MeanAbsoluteError.class, mae);
        assertEquals("mae", mae.name());
        // Keras 2 resolved "accuracy" to a function at compile time
        Metric bin = MetricConfigs.fromKeras(Json.parse("{\"class_name\": \"MeanMetricWrapper\", \"config\": {\"name\":"
                + " \"accuracy\", \"dtype\": \"float32\", \"fn\": \"binary_accuracy\"}}", "t"), "m", new int[] {4, 3},
                new int[] {4, 3});
        assertInstanceOf(BinaryAccuracy.class, bin);
        assertEquals("accuracy", bin.name());
    }

    @Test
    void legacyOptimizerForms() {
        // tf.keras 2.21 legacy SGD: decay is refused, Keras 3 would silently ignore it
        KerasImportException e = assertThrows(KerasImportException.class, () -> OptimizerConfigs.fromKeras(Json.parse(
                "{\"class_name\": \"SGD\", \"config\": {\"name\": \"SGD\", \"learning_rate\": 0.01, \"decay\": 0.1,"
                        + " \"momentum\": 0.9, \"nesterov\": false}}", "t"), "m.h5: training_config.optimizer_config"));
        assertTrue(e.getMessage().contains("m.h5: training_config.optimizer_config (SGD): field 'decay' is 0.1"),
                e.getMessage());
        // Keras 1/2: lr and decay 0
        Sgd sgd = (Sgd) OptimizerConfigs.fromKeras(Json.parse("{\"class_name\": \"SGD\", \"config\": {\"lr\": 0.05,"
                + " \"momentum\": 0.0, \"decay\": 0.0, \"nesterov\": false}}", "t"), "w");
        assertEquals(0.05f, sgd.learningRate(0));
        // tf.keras 2.21 RMSprop with a schedule whose name is null, and ema_overwrite_frequency 100 with use_ema false
        Optimizer rms = OptimizerConfigs.fromKeras(Json.parse("{\"class_name\": \"Custom>RMSprop\", \"config\":"
                + " {\"name\": \"RMSprop\", \"weight_decay\": null, \"clipnorm\": null, \"global_clipnorm\": null,"
                + " \"clipvalue\": null, \"use_ema\": false, \"ema_momentum\": 0.99, \"ema_overwrite_frequency\": 100,"
                + " \"jit_compile\": false, \"is_legacy_optimizer\": false, \"learning_rate\": {\"module\":"
                + " \"keras.optimizers.schedules\", \"class_name\": \"ExponentialDecay\", \"config\":"
                + " {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"decay_rate\": 0.5, \"staircase\": false,"
                + " \"name\": null}, \"registered_name\": null}, \"rho\": 0.9, \"momentum\": 0.0, \"epsilon\": 1e-07,"
                + " \"centered\": false}}", "t"), "w");
        assertEquals(new ExponentialDecay(0.1, 10, 0.5), rms.schedule());
        // plain names, any case, Keras's defaults
        assertEquals("Adam", OptimizerConfigs.fromKeras(Json.parse("{\"o\": \"adam\"}", "t").get("o"), "w").kind());
        assertEquals("RMSprop", OptimizerConfigs.fromKeras(Json.parse("{\"o\": \"RMSprop\"}", "t").get("o"), "w")
                .kind());
    }

    @Test
    void unsupportedOptimizerOptionsAreRefusedWithTheirField() {
        String base = "{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": 0.001, %s}}";
        for (String[] bad : new String[][] {{"\"use_ema\": true", "'use_ema'"},
            {"\"gradient_accumulation_steps\": 4", "'gradient_accumulation_steps' is 4"},
            {"\"loss_scale_factor\": 128.0", "'loss_scale_factor'"},
            {"\"clipnorm\": 1.0, \"clipvalue\": 1.0", "Only one of"}, {"\"foo\": 1", "'foo'"}}) {
            KerasImportException e = assertThrows(KerasImportException.class,
                    () -> OptimizerConfigs.fromKeras(Json.parse(base.formatted(bad[0]), "t"), "f.keras: optimizer"));
            assertTrue(e.getMessage().startsWith("f.keras: optimizer (Adam)") && e.getMessage().contains(bad[1]),
                    e.getMessage());
        }
        KerasImportException e = assertThrows(KerasImportException.class, () -> OptimizerConfigs.fromKeras(
                Json.parse("{\"class_name\": \"Lion\", \"config\": {}}", "t"), "f"));
        assertTrue(e.getMessage().contains("'Lion' is not supported; supported: SGD, Adam"), e.getMessage());
        e = assertThrows(KerasImportException.class, () -> OptimizerConfigs.fromKeras(Json.parse("{\"class_name\":"
                + " \"Nadam\", \"config\": {\"lr\": 0.002, \"schedule_decay\": 0.004}}", "t"), "f"));
        assertTrue(e.getMessage().contains("schedule_decay"), e.getMessage());
    }

    @Test
    void lossForms() {
        Loss huber = LossConfigs.fromKeras(Json.parse("{\"class_name\": \"Huber\", \"config\": {\"reduction\": \"auto\","
                + " \"name\": \"huber_loss\", \"delta\": 2.0, \"fn\": \"huber\"}}", "t"), "m.h5: loss");
        assertEquals(new Huber(2.0, "huber_loss", Reduction.SUM_OVER_BATCH_SIZE), huber);
        assertEquals(2.0, LossConfigs.toKerasConfig(huber).get("config").get("delta").asDouble());
        Loss fn = LossConfigs.fromKeras(Json.parse("{\"module\": \"builtins\", \"class_name\": \"function\", \"config\":"
                + " \"mean_squared_error\", \"registered_name\": \"function\"}", "t"), "l");
        assertEquals("mean_squared_error", fn.name());
        assertInstanceOf(BinaryCrossentropy.class, LossConfigs.fromKeras(Json.parse("{\"l\": \"ce\"}", "t").get("l"), "l",
                new int[] {4, 1}, new int[] {4, 1}));
        assertInstanceOf(SparseCategoricalCrossentropy.class, LossConfigs.fromKeras(
                Json.parse("{\"l\": \"crossentropy\"}", "t").get("l"), "l", new int[] {4}, new int[] {4, 5}));
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> LossConfigs.fromKeras(Json.parse("{\"l\": \"ce\"}", "t").get("l"), "f.keras: loss"));
        assertTrue(e.getMessage().contains("shapes"), e.getMessage());
        e = assertThrows(KerasImportException.class,
                () -> LossConfigs.fromKeras(Json.parse("{\"l\": \"kld\"}", "t").get("l"), "f.keras: loss"));
        assertTrue(e.getMessage().contains("'kld'") && e.getMessage().contains("supported: mean_squared_error"),
                e.getMessage());
        e = assertThrows(KerasImportException.class, () -> LossConfigs.fromKeras(Json.parse("{\"class_name\":"
                + " \"BinaryCrossentropy\", \"config\": {\"axis\": 1}}", "t"), "f"));
        assertTrue(e.getMessage().contains("axis=1"), e.getMessage());
        e = assertThrows(KerasImportException.class, () -> LossConfigs.perOutput(Json.parse("{\"a\": \"mse\"}", "t"),
                null, List.of("a", "b"), null, null, "f.keras: compile_config"));
        assertTrue(e.getMessage().contains("[a, b]"), e.getMessage());
        List<OutputLoss> list = LossConfigs.perOutput(Json.parse("{\"l\": [\"mse\", null]}", "t").get("l"),
                Json.parse("{\"w\": [2.0, 1.0]}", "t").get("w"), List.of("a", "b"), null, null, "f");
        assertEquals(1, list.size());
        assertEquals(2.0, list.get(0).weight());
        assertEquals(2, LossConfigs.perOutput(Json.parse("{\"l\": \"mae\"}", "t").get("l"), null, List.of("a", "b"),
                null, null, "f").size());
    }

    @Test
    void regularizerForms() {
        assertEquals(new L1L2(0.0, 0.009999999776482582), RegularizerConfigs.fromKeras(Json.parse("{\"class_name\":"
                + " \"L1L2\", \"config\": {\"l1\": 0.0, \"l2\": 0.009999999776482582}}", "t"), "r"));
        assertEquals(new L1L2(0.0, 0.01), RegularizerConfigs.fromKeras(Json.parse("{\"name\": \"WeightRegularizer\","
                + " \"l1\": 0.0, \"l2\": 0.01}", "t"), "r"));
        assertEquals(new L2(0.01), RegularizerConfigs.fromKeras(Json.parse("{\"r\": \"l2\"}", "t").get("r"), "r"));
        assertNull(RegularizerConfigs.fromKeras(null, "r"));
        KerasImportException e = assertThrows(KerasImportException.class, () -> RegularizerConfigs.fromKeras(
                Json.parse("{\"class_name\": \"OrthogonalRegularizer\", \"config\": {\"factor\": 0.01}}", "t"),
                "m.keras: layer 'dense' kernel_regularizer"));
        assertTrue(e.getMessage().contains("m.keras: layer 'dense' kernel_regularizer")
                && e.getMessage().contains("OrthogonalRegularizer"), e.getMessage());
        e = assertThrows(KerasImportException.class, () -> RegularizerConfigs.fromKeras(
                Json.parse("{\"class_name\": \"L2\", \"config\": {\"l2\": -1.0}}", "t"), "r"));
        assertTrue(e.getMessage().contains("l2"), e.getMessage());
    }
}
