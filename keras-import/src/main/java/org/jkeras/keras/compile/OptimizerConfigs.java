package org.jkeras.keras.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.training.optimizer.Adagrad;
import org.jkeras.runtime.training.optimizer.Adam;
import org.jkeras.runtime.training.optimizer.AdamBase;
import org.jkeras.runtime.training.optimizer.AdamW;
import org.jkeras.runtime.training.optimizer.Nadam;
import org.jkeras.runtime.training.optimizer.Optimizer;
import org.jkeras.runtime.training.optimizer.RmsProp;
import org.jkeras.runtime.training.optimizer.Sgd;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Optimizer configs to runtime {@link Optimizer}s and back.
 *
 * <p>Accepted forms: a plain name ({@code "adam"}, any case, Keras's defaults); a Keras 3
 * serialized optimizer ({@code compile_config.optimizer}); a Keras 1/2 / tf.keras
 * {@code training_config.optimizer_config} ({@code "Custom>Adam"}, {@code lr} for
 * {@code learning_rate}, {@code decay}, {@code jit_compile}, {@code is_legacy_optimizer}). A legacy
 * {@code decay} other than 0 is refused: Keras 2 divided the rate by {@code 1 + decay * iterations}
 * with its own legacy update kernels, and Keras 3 silently ignores the argument, so neither can be
 * reproduced faithfully. So are {@code use_ema=True}, {@code gradient_accumulation_steps} and
 * {@code loss_scale_factor}, and any field the Keras class would not accept.
 */
public final class OptimizerConfigs {
    private static final String MODULE = "keras.optimizers";
    private static final Set<String> BASE_FIELDS = Set.of("name", "learning_rate", "lr", "weight_decay", "clipnorm",
            "global_clipnorm", "clipvalue", "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
            "gradient_accumulation_steps", "decay", "jit_compile", "is_legacy_optimizer");

    private OptimizerConfigs() {
    }

    /**
     * The optimizer a config describes.
     *
     * @param node  a name or a serialized optimizer
     * @param where names the place in errors, e.g. {@code "model.keras: compile_config.optimizer"}
     * @throws KerasImportException for an unsupported class or option, or an invalid field
     * @return a new optimizer with the config's hyper-parameters
     */
    public static Optimizer fromKeras(JsonNode node, String where) {
        KerasObject o;
        if (node != null && node.isString()) {
            o = new KerasObject(node.stringValue(), new ConfigNode(KerasObject.JSON.objectNode(), where
                    + " ('" + node.stringValue() + "')"), where + " ('" + node.stringValue() + "')");
        } else {
            o = KerasObject.read(node, where);
        }
        ConfigNode c = o.config();
        String kind = o.className().toLowerCase(Locale.ROOT);
        try {
            return switch (kind) {
                case "sgd" -> {
                    allow(c, "momentum", "nesterov");
                    Sgd.Builder b = Sgd.builder().momentum(c.number("momentum", 0.0)).nesterov(c.bool("nesterov", false));
                    yield common(b, c, o).build();
                }
                case "adam" -> {
                    allow(c, "beta_1", "beta_2", "epsilon", "amsgrad");
                    yield common(adam(Adam.builder(), c), c, o).build();
                }
                case "adamw" -> {
                    allow(c, "beta_1", "beta_2", "epsilon", "amsgrad");
                    AdamW.Builder b = adam(AdamW.builder(), c);
                    yield common(b, c, o).build();
                }
                case "rmsprop" -> {
                    allow(c, "rho", "momentum", "epsilon", "centered");
                    RmsProp.Builder b = RmsProp.builder().rho(c.number("rho", 0.9)).momentum(c.number("momentum", 0.0))
                            .epsilon(epsilon(c)).centered(c.bool("centered", false));
                    yield common(b, c, o).build();
                }
                case "adagrad" -> {
                    allow(c, "initial_accumulator_value", "epsilon");
                    Adagrad.Builder b = Adagrad.builder()
                            .initialAccumulatorValue(c.number("initial_accumulator_value", 0.1)).epsilon(epsilon(c));
                    yield common(b, c, o).build();
                }
                case "nadam" -> {
                    allow(c, "beta_1", "beta_2", "epsilon", "schedule_decay");
                    if (c.has("schedule_decay")) {
                        throw c.error("schedule_decay", "is " + c.raw("schedule_decay") + ": Keras 2's Nadam momentum"
                                + " schedule 0.96^(t * schedule_decay) differs from Keras 3's 0.96^t and is not"
                                + " supported");
                    }
                    Nadam.Builder b = Nadam.builder().beta1(c.number("beta_1", 0.9)).beta2(c.number("beta_2", 0.999))
                            .epsilon(epsilon(c));
                    yield common(b, c, o).build();
                }
                default -> throw new KerasImportException(where + ": optimizer '" + o.className() + "' is not"
                        + " supported; supported: SGD, Adam, AdamW, RMSprop, Adagrad, Nadam");
            };
        } catch (IllegalArgumentException e) {
            throw o.refuse(e);
        }
    }

    private static <B extends AdamBase.Params<B>> B adam(B b, ConfigNode c) {
        return b.beta1(c.number("beta_1", 0.9)).beta2(c.number("beta_2", 0.999)).epsilon(epsilon(c))
                .amsgrad(c.bool("amsgrad", false));
    }

    /** Keras 2's legacy optimizers wrote {@code epsilon: null} for the backend's 1e-7. */
    private static double epsilon(ConfigNode c) {
        return c.number("epsilon", 1e-7);
    }

    private static <B extends Optimizer.Builder<B>> B common(B b, ConfigNode c, KerasObject o) {
        if (c.has("name")) {
            b.name(c.string("name"));
        }
        String rateField = c.firstPresent("learning_rate", "lr").orElse(null);
        if (rateField != null) {
            JsonNode rate = c.raw(rateField);
            if (rate.isObject()) {
                b.learningRate(ScheduleConfigs.fromKeras(rate, o.where() + " field '" + rateField + "'"));
            } else if (rate.isNumber()) {
                b.learningRate(rate.doubleValue());
            } else {
                throw c.error(rateField, "must be a number or a serialized learning-rate schedule, got "
                        + ConfigNode.abbreviate(rate));
            }
        }
        if (c.has("decay") && c.number("decay", 0) != 0) {
            throw c.error("decay", "is " + c.number("decay", 0) + ": Keras 2's legacy per-iteration learning-rate decay"
                    + " is not supported (Keras 3 ignores it); re-save with decay=0 or a learning-rate schedule"
                    + " such as InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)");
        }
        b.weightDecay(KerasObject.optionalNumber(c, "weight_decay"));
        b.clipnorm(KerasObject.optionalNumber(c, "clipnorm"));
        b.clipvalue(KerasObject.optionalNumber(c, "clipvalue"));
        b.globalClipnorm(KerasObject.optionalNumber(c, "global_clipnorm"));
        if (c.bool("use_ema", false)) {
            throw c.error("use_ema", "is true: the exponential moving average of weights is not supported");
        }
        if (c.has("gradient_accumulation_steps")) {
            throw c.error("gradient_accumulation_steps", "is " + c.raw("gradient_accumulation_steps")
                    + ": gradient accumulation is not supported");
        }
        if (c.has("loss_scale_factor")) {
            throw c.error("loss_scale_factor", "is " + c.raw("loss_scale_factor") + ": loss scaling is not supported");
        }
        return b;
    }

    private static void allow(ConfigNode c, String... own) {
        List<String> all = new ArrayList<>(BASE_FIELDS);
        all.addAll(List.of(own));
        ScheduleConfigs.allow(c, all.toArray(String[]::new));
    }

    /**
     * The Keras 3 serialized config of {@code optimizer}, field for field as Keras 3's
     * {@code serialize_keras_object} writes it (a constant learning rate as the float32 value its
     * variable holds, widened to double, e.g. 0.0010000000474974513).
     *
     * @param optimizer the optimizer to write
     * @return a new JSON object in Keras's {@code serialize_keras_object} form
     */
    public static ObjectNode toKerasConfig(Optimizer optimizer) {
        ObjectNode c = KerasObject.JSON.objectNode();
        c.put("name", optimizer.name());
        if (optimizer.schedule() != null) {
            c.set("learning_rate", ScheduleConfigs.toKerasConfig(optimizer.schedule()));
        } else {
            c.put("learning_rate", (double) (float) (double) optimizer.constantLearningRate());
        }
        KerasObject.putNullable(c, "weight_decay", optimizer.weightDecay());
        KerasObject.putNullable(c, "clipnorm", optimizer.clipnorm());
        KerasObject.putNullable(c, "global_clipnorm", optimizer.globalClipnorm());
        KerasObject.putNullable(c, "clipvalue", optimizer.clipvalue());
        c.put("use_ema", false);
        c.put("ema_momentum", 0.99);
        c.putNull("ema_overwrite_frequency");
        c.putNull("loss_scale_factor");
        c.putNull("gradient_accumulation_steps");
        switch (optimizer) {
            case Sgd s -> {
                c.put("momentum", s.momentum());
                c.put("nesterov", s.nesterov());
            }
            case AdamBase a -> {
                c.put("beta_1", a.beta1());
                c.put("beta_2", a.beta2());
                c.put("epsilon", a.epsilon());
                c.put("amsgrad", a.amsgrad());
            }
            case RmsProp r -> {
                c.put("rho", r.rho());
                c.put("momentum", r.momentum());
                c.put("epsilon", r.epsilon());
                c.put("centered", r.centered());
            }
            case Adagrad a -> {
                c.put("initial_accumulator_value", a.initialAccumulatorValue());
                c.put("epsilon", a.epsilon());
            }
            case Nadam n -> {
                c.put("beta_1", n.beta1());
                c.put("beta_2", n.beta2());
                c.put("epsilon", n.epsilon());
            }
            default -> throw new IllegalArgumentException("no Keras config for optimizer " + optimizer.kind());
        }
        return KerasObject.serialized(MODULE, optimizer.kind(), c);
    }
}
