package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.Limit;
import org.jkeras.keras.LimitExceededException;
import org.jkeras.keras.LoadOptions;
import org.jkeras.runtime.tensor.InputMismatchException;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Limit} is enforced where its size is read: lowered below what a real (tiny) Keras model needs, it
 * refuses that model with a {@link LimitExceededException} naming itself, the value found and how to raise it;
 * at its default the model loads.
 */
class LimitsTest {
    static Stream<Arguments> lowered() {
        return Stream.of(
                Arguments.of(Limit.MAX_JSON_BYTES, 100L, "base_seq.keras"),
                Arguments.of(Limit.MAX_JSON_DEPTH, 3L, "base_seq.keras"),
                Arguments.of(Limit.MAX_JSON_STRING_CHARS, 3L, "base_seq.keras"),
                Arguments.of(Limit.MAX_JSON_NUMBER_CHARS, 2L, "base_seq.keras"),
                Arguments.of(Limit.MAX_ZIP_ENTRIES, 2L, "base_seq.keras"),
                Arguments.of(Limit.MAX_ZIP_ENTRY_BYTES, 1000L, "base_seq.keras"),
                Arguments.of(Limit.MAX_COMPRESSION_RATIO, 100L, "h5_ratio_bomb.h5"),
                Arguments.of(Limit.MAX_WEIGHT_BYTES, 16L, "base_seq.h5"),
                Arguments.of(Limit.MAX_TENSOR_ELEMENTS, 4L, "base_seq.h5"),
                Arguments.of(Limit.MAX_DIM, 2L, "base_seq.keras"),
                Arguments.of(Limit.MAX_UNITS, 1L, "base_seq.keras"),
                Arguments.of(Limit.MAX_LAYERS, 2L, "base_seq.keras"),
                Arguments.of(Limit.MAX_GRAPH_NODES, 3L, "base_fn.keras"),
                Arguments.of(Limit.MAX_NESTING_DEPTH, 1L, "special_recurrent.keras"),
                Arguments.of(Limit.MAX_HDF5_OBJECTS, 2L, "base_seq.keras"),
                Arguments.of(Limit.MAX_HDF5_ATTRIBUTE_BYTES, 100L, "base_seq.h5"));
    }

    @ParameterizedTest(name = "{0}={1} refuses {2}")
    @MethodSource("lowered")
    void loweredLimitRefusesAModelNamingItself(Limit limit, long value, String file) {
        LoadOptions low = LoadOptions.builder().limit(limit, value).build();
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> KerasModels.load(MalformedFiles.file(file), null, low));
        assertEquals(limit, e.limit(), e.getMessage());
        assertTrue(e.found() > value, e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("more than the limit " + limit.key() + "=" + value + " (raise it with"
                + " LoadOptions.builder().limit(Limit." + limit.name() + ", n), or --limit " + limit.key() + "=n"),
                e.getMessage());
        if (limit != Limit.MAX_COMPRESSION_RATIO) { // the bomb is refused at the default as well
            KerasModels.load(MalformedFiles.file(file));
        }
    }

    @Test
    void everyLoadLimitIsCoveredAbove() {
        Set<Limit> covered = EnumSet.noneOf(Limit.class);
        lowered().forEach(a -> covered.add((Limit) a.get()[0]));
        covered.addAll(Set.of(Limit.MAX_INPUT_BATCH, Limit.MAX_INPUT_TIMESTEPS)); // inputLimitsComeFromTheOptions
        assertEquals(EnumSet.allOf(Limit.class), covered);
    }

    @Test
    void inputLimitsComeFromTheOptions() {
        LoadOptions small = LoadOptions.builder().limit(Limit.MAX_INPUT_BATCH, 1).limit(Limit.MAX_INPUT_TIMESTEPS, 2)
                .build();
        Model m = KerasModels.load(MalformedFiles.file("base_seq.keras"), null, small);
        InputMismatchException e = assertThrows(InputMismatchException.class, () -> m.predict(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("has a batch of 2, more than the limit max_input_batch=1"), e.getMessage());
        Model rec = KerasModels.load(MalformedFiles.file("special_recurrent.keras"), null, small);
        e = assertThrows(InputMismatchException.class, () -> rec.predict(java.util.List.of(Tensor.zeros(1, 3, 2))));
        assertTrue(e.getMessage().contains("has 3 time steps, more than the limit max_input_timesteps=2"),
                e.getMessage());
        assertEquals(1L << 24, KerasModels.load(MalformedFiles.file("base_seq.keras")).inputLimits().maxBatch());
    }

    @Test
    void optionsNameLimitsByKeyAndRefuseNonsense() {
        assertEquals(50_000, LoadOptions.builder().limit("max-layers", 50_000).build().limits().get(Limit.MAX_LAYERS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.builder().limit("max_lyers", 1));
        assertTrue(e.getMessage().contains("unknown limit 'max_lyers' (known: max_json_bytes, "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.builder().limit(Limit.MAX_DIM, -1));
        assertEquals(Limit.MAX_LAYERS.defaultValue(), LoadOptions.defaults().limits().get(Limit.MAX_LAYERS));
    }

    @Test
    void limitErrorsAreImportErrors() {
        assertTrue(KerasImportException.class.isAssignableFrom(LimitExceededException.class));
    }
}
