package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.fixtures.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals of the Conv1D, pooling, shape and normalization translators and of a mask Keras itself cannot
 * apply, each naming file, layer and field; sizes read from the config are bounded by the load's limits.
 * Each test edits one field of a Keras-written fixture config, so everything else is what Keras wrote.
 */
class ConvNormalizationImportTest {
    @TempDir
    Path tmp;

    private static Path model(String family, String api, String file) {
        return Fixtures.root().resolve("models/" + family + "/" + api + "/" + file);
    }

    /** The sequential tf.keras 2 JSON config of a family with {@code from} replaced, loaded with its weights. */
    private <T extends Exception> T editedFails(Class<T> type, String family, String from, String to,
                                                LoadOptions options) throws IOException {
        String json = Files.readString(model(family, "sequential", "model_tf_keras2.json"));
        assertTrue(json.contains(from), "fixture config changed: no " + from);
        Path p = tmp.resolve("edited.json");
        Files.writeString(p, json.replaceFirst(java.util.regex.Pattern.quote(from), to));
        Path weights = model(family, "sequential", "model_tf_keras2_weights.h5");
        return assertThrows(type, () -> KerasModels.load(p, weights, options));
    }

    private KerasImportException editedFails(String family, String from, String to) throws IOException {
        return editedFails(KerasImportException.class, family, from, to, LoadOptions.defaults());
    }

    @Test
    void channelsFirstConv1DIsRefused() throws IOException {
        KerasImportException e = editedFails("conv1d_valid_same_pool", "\"data_format\": \"channels_last\"",
                "\"data_format\": \"channels_first\"");
        assertTrue(e.getMessage().startsWith("edited.json: layer 'conv_valid' (Conv1D)")
                && e.getMessage().contains("data_format='channels_first' is not supported"), e.getMessage());
    }

    @Test
    void unknownConvPaddingIsRefusedNamingTheChoices() throws IOException {
        KerasImportException e = editedFails("conv1d_valid_same_pool", "\"padding\": \"valid\"",
                "\"padding\": \"full\"");
        assertTrue(e.getMessage().contains("layer 'conv_valid' (Conv1D): field 'padding' is 'full', expected valid,"
                + " same or causal"), e.getMessage());
    }

    @Test
    void groupsThatDoNotDivideTheChannelsAreRefused() throws IOException {
        KerasImportException e = editedFails("conv1d_valid_same_pool", "\"groups\": 1", "\"groups\": 3");
        assertTrue(e.getMessage().contains("layer 'conv_valid' (Conv1D): groups 3 must divide both the input's 4"
                + " channels and the 6 filters"), e.getMessage());
    }

    @Test
    void aKernelSizeOverTheDimensionLimitIsALimitError() throws IOException {
        LoadOptions low = LoadOptions.builder().limit(Limit.MAX_DIM, 100).build();
        LimitExceededException e = editedFails(LimitExceededException.class, "conv1d_valid_same_pool",
                "\"kernel_size\": [3]", "\"kernel_size\": [1000]", low);
        assertTrue(e.getMessage().contains("max_dim") && e.getMessage().contains("kernel_size")
                && e.getMessage().contains("1000"), e.getMessage());
    }

    @Test
    void filtersOverTheUnitsLimitAreALimitError() throws IOException {
        LoadOptions low = LoadOptions.builder().limit(Limit.MAX_UNITS, 5).build();
        LimitExceededException e = editedFails(LimitExceededException.class, "conv1d_valid_same_pool",
                "\"filters\": 6", "\"filters\": 6", low);
        assertTrue(e.getMessage().contains("max_units") && e.getMessage().contains("filters"), e.getMessage());
    }

    @Test
    void batchRenormalizationIsRefused() throws IOException {
        KerasImportException e = editedFails("batchnorm_lstm", "\"center\": true", "\"renorm\": true, \"center\": true");
        assertTrue(e.getMessage().contains("layer 'bn_in' (BatchNormalization)")
                && e.getMessage().contains("renorm=True (batch renormalization) is not supported"), e.getMessage());
    }

    @Test
    void aMaskIntoSoftmaxIsRefusedAsKerasCannotApplyIt() throws IOException {
        // UnitNormalization and Softmax share their config fields (axis): the mask from Embedding(mask_zero) now
        // reaches a Softmax over [batch, steps, features]
        KerasImportException e = editedFails("mask_through_norm_act", "\"class_name\": \"UnitNormalization\"",
                "\"class_name\": \"Softmax\"");
        assertTrue(e.getMessage().contains("layer 'unit' (Softmax) receives a mask")
                && e.getMessage().contains("Keras itself refuses"), e.getMessage());
    }

    @Test
    void reshapeToAnotherSizeIsRefused() throws IOException {
        KerasImportException e = editedFails("shape_layers_1d", "\"target_shape\": [-1, 4]",
                "\"target_shape\": [7, 4]");
        assertTrue(e.getMessage().contains("layer 'reshape' (Reshape)"), e.getMessage());
        assertEquals(KerasImportException.class, e.getClass());
    }
}
