package org.jkeras.keras.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.config.ConfigNode;
import org.jkeras.runtime.training.schedule.CosineDecay;
import org.jkeras.runtime.training.schedule.CosineDecayRestarts;
import org.jkeras.runtime.training.schedule.ExponentialDecay;
import org.jkeras.runtime.training.schedule.InverseTimeDecay;
import org.jkeras.runtime.training.schedule.LearningRateSchedule;
import org.jkeras.runtime.training.schedule.PiecewiseConstantDecay;
import org.jkeras.runtime.training.schedule.PolynomialDecay;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Learning-rate schedule configs ({@code keras.optimizers.schedules}) to runtime schedules and
 * back. Missing fields take Keras's defaults; unknown fields are refused (Keras would refuse them
 * as unexpected arguments).
 */
public final class ScheduleConfigs {
    private static final String MODULE = "keras.optimizers.schedules";

    private ScheduleConfigs() {
    }

    /**
     * The schedule a serialized config describes.
     *
     * @param node a serialized {@code keras.optimizers.schedules} object
     * @param where names the place in errors, e.g. {@code "model.keras: compile_config.optimizer.learning_rate"}
     * @throws KerasImportException for an unknown class, a missing or invalid field
     * @return a new schedule with the config's parameters
     */
    public static LearningRateSchedule fromKeras(JsonNode node, String where) {
        KerasObject o = KerasObject.read(node, where);
        ConfigNode c = o.config();
        try {
            return switch (o.className()) {
                case "ExponentialDecay" -> {
                    allow(c, "initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name");
                    yield new ExponentialDecay(required(c, "initial_learning_rate"), required(c, "decay_steps"),
                            required(c, "decay_rate"), c.bool("staircase", false), name(c));
                }
                case "InverseTimeDecay" -> {
                    allow(c, "initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name");
                    yield new InverseTimeDecay(required(c, "initial_learning_rate"), required(c, "decay_steps"),
                            required(c, "decay_rate"), c.bool("staircase", false), name(c));
                }
                case "PolynomialDecay" -> {
                    allow(c, "initial_learning_rate", "decay_steps", "end_learning_rate", "power", "cycle", "name");
                    yield new PolynomialDecay(required(c, "initial_learning_rate"), required(c, "decay_steps"),
                            c.number("end_learning_rate", 0.0001), c.number("power", 1.0), c.bool("cycle", false),
                            name(c));
                }
                case "PiecewiseConstantDecay" -> {
                    allow(c, "boundaries", "values", "name");
                    yield new PiecewiseConstantDecay(numbers(c, "boundaries"), numbers(c, "values"), name(c));
                }
                case "CosineDecay" -> {
                    allow(c, "initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps");
                    yield new CosineDecay(required(c, "initial_learning_rate"), required(c, "decay_steps"),
                            c.number("alpha", 0.0), KerasObject.optionalNumber(c, "warmup_target"),
                            c.number("warmup_steps", 0), name(c));
                }
                case "CosineDecayRestarts" -> {
                    allow(c, "initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name");
                    yield new CosineDecayRestarts(required(c, "initial_learning_rate"), required(c, "first_decay_steps"),
                            c.number("t_mul", 2.0), c.number("m_mul", 1.0), c.number("alpha", 0.0), name(c));
                }
                default -> throw new KerasImportException(where + ": learning-rate schedule '" + o.className()
                        + "' is not supported; supported: ExponentialDecay, InverseTimeDecay, PolynomialDecay,"
                        + " PiecewiseConstantDecay, CosineDecay, CosineDecayRestarts");
            };
        } catch (IllegalArgumentException e) {
            throw o.refuse(e);
        }
    }

    /**
     * The Keras 3 serialized config of {@code schedule}, as {@code keras.saving.serialize_keras_object} writes it.
     *
     * @param schedule the schedule to write
     * @return a new JSON object in the form {@code serialize_keras_object} writes
     */
    public static ObjectNode toKerasConfig(LearningRateSchedule schedule) {
        ObjectNode c = KerasObject.JSON.objectNode();
        switch (schedule) {
            case ExponentialDecay s -> {
                c.put("initial_learning_rate", s.initialLearningRate());
                KerasObject.putStep(c, "decay_steps", s.decaySteps());
                c.put("decay_rate", s.decayRate());
                c.put("staircase", s.staircase());
                c.put("name", s.name());
            }
            case InverseTimeDecay s -> {
                c.put("initial_learning_rate", s.initialLearningRate());
                KerasObject.putStep(c, "decay_steps", s.decaySteps());
                c.put("decay_rate", s.decayRate());
                c.put("staircase", s.staircase());
                c.put("name", s.name());
            }
            case PolynomialDecay s -> {
                c.put("initial_learning_rate", s.initialLearningRate());
                KerasObject.putStep(c, "decay_steps", s.decaySteps());
                c.put("end_learning_rate", s.endLearningRate());
                c.put("power", s.power());
                c.put("cycle", s.cycle());
                c.put("name", s.name());
            }
            case PiecewiseConstantDecay s -> {
                ArrayNode b = c.putArray("boundaries");
                for (double x : s.boundaries()) {
                    if (x == Math.rint(x)) {
                        b.add((long) x);
                    } else {
                        b.add(x);
                    }
                }
                ArrayNode v = c.putArray("values");
                for (double x : s.values()) {
                    v.add(x);
                }
                c.put("name", s.name());
            }
            case CosineDecay s -> {
                c.put("initial_learning_rate", s.initialLearningRate());
                KerasObject.putStep(c, "decay_steps", s.decaySteps());
                c.put("alpha", s.alpha());
                c.put("name", s.name());
                KerasObject.putNullable(c, "warmup_target", s.warmupTarget());
                KerasObject.putStep(c, "warmup_steps", s.warmupSteps());
            }
            case CosineDecayRestarts s -> {
                c.put("initial_learning_rate", s.initialLearningRate());
                KerasObject.putStep(c, "first_decay_steps", s.firstDecaySteps());
                c.put("t_mul", s.tMul());
                c.put("m_mul", s.mMul());
                c.put("alpha", s.alpha());
                c.put("name", s.name());
            }
            default -> throw new IllegalArgumentException("no Keras config for schedule " + schedule.kind());
        }
        return KerasObject.serialized(MODULE, schedule.kind(), c);
    }

    private static double required(ConfigNode c, String field) {
        if (!c.has(field)) {
            throw c.error(field, "is missing");
        }
        return c.number(field, 0);
    }

    private static String name(ConfigNode c) {
        return c.string("name", null);
    }

    private static List<Double> numbers(ConfigNode c, String field) {
        List<Double> out = new ArrayList<>();
        for (JsonNode n : c.array(field)) {
            if (!n.isNumber()) {
                throw c.error(field, "must hold numbers, got " + ConfigNode.abbreviate(n));
            }
            out.add(n.doubleValue());
        }
        return out;
    }

    /** Refuses fields Keras's constructor would not accept. */
    static void allow(ConfigNode c, String... fields) {
        Set<String> known = Set.of(fields);
        for (String f : c.json().propertyNames()) {
            if (!known.contains(f)) {
                throw c.error(f, "is not an argument of this class (known: " + String.join(", ", fields) + ")");
            }
        }
    }
}
