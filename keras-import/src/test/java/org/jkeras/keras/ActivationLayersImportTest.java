package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.layers.Layer;
import org.jkeras.runtime.layers.Relu;
import org.jkeras.runtime.layers.Softmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activation layers' import: Keras-version details (tf.keras 2's ThresholdedReLU and LeakyReLU alpha, Keras 3's
 * .h5 loader dropping axis lists) and the refusals, each naming file, layer and field.
 */
class ActivationLayersImportTest {
    @TempDir
    Path tmp;

    private static Path model(String family, String file) {
        return Fixtures.root().resolve("models/" + family + "/sequential/" + file);
    }

    private static Layer layer(Model m, String name) {
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    /** The sequential tf.keras 2 JSON config of a family, edited; loaded with its weights. */
    private KerasImportException editedFails(String family, String from, String to) throws IOException {
        String json = Files.readString(model(family, "model_tf_keras2.json"));
        assertTrue(json.contains(from), "fixture config changed: no " + from);
        Path p = tmp.resolve("edited.json");
        Files.writeString(p, json.replace(from, to));
        return assertThrows(KerasImportException.class,
                () -> KerasModels.load(p, model(family, "model_tf_keras2_weights.h5")));
    }

    @Test
    void keras3H5LoadsAnAxisListAsKeras3DoesByDroppingItAndSaysSo() {
        Model h5 = KerasModels.load(model("act_leaky_elu_prelu_softmax", "model_keras3.h5"));
        assertArrayEquals(new int[] {-1}, ((Softmax) layer(h5, "softmax_both")).axes());
        assertArrayEquals(new int[] {1}, ((Softmax) layer(h5, "softmax_time")).axes());
        assertTrue(h5.metadata().get("keras3_h5_axis_dropped").startsWith("softmax_both"),
                h5.metadata().toString());
        Model zip = KerasModels.load(model("act_leaky_elu_prelu_softmax", "model.keras"));
        assertArrayEquals(new int[] {1, 2}, ((Softmax) layer(zip, "softmax_both")).axes());
        assertEquals(null, zip.metadata().get("keras3_h5_axis_dropped"));
    }

    @Test
    void tfKeras2ThresholdedReluIsReluWithItsThetaAsThreshold() {
        Relu r = (Relu) layer(KerasModels.load(model("act_thresholded_relu", "model_tf_keras2.h5")), "thresholded");
        assertEquals("ThresholdedReLU", r.kind());
        assertEquals(0.4f, r.threshold(), 0f);
        assertEquals(0f, r.negativeSlope(), 0f);
        assertTrue(Float.isNaN(r.maxValue()));
        Relu k3 = (Relu) layer(KerasModels.load(model("act_thresholded_relu", "model.keras")), "thresholded");
        assertEquals("ReLU", k3.kind());
        assertEquals(0.4f, k3.threshold(), 0f);
    }

    @Test
    void tfKeras2LeakyReluAlphaIsTheNegativeSlope() {
        Relu r = (Relu) layer(KerasModels.load(model("act_leaky_elu_prelu_softmax", "model_tf_keras2.h5")), "leaky");
        assertEquals("LeakyReLU", r.kind());
        assertEquals(0.15f, r.negativeSlope(), 0f);
    }

    @Test
    void thresholdActivationIsRefusedBecauseItNeedsArguments() throws IOException {
        KerasImportException e = editedFails("act_thresholded_relu", "\"activation\": \"linear\"",
                "\"activation\": \"threshold\"");
        assertTrue(e.getMessage().startsWith("edited.json: layer 'dense_1' (Dense): field 'activation': "
                + "keras.activations.threshold needs its threshold and default_value arguments"), e.getMessage());
    }

    @Test
    void gluOutsideAnActivationLayerIsRefused() throws IOException {
        KerasImportException e = editedFails("act_thresholded_relu", "\"activation\": \"linear\"",
                "\"activation\": \"glu\"");
        assertTrue(e.getMessage().contains("layer 'dense_1' (Dense): field 'activation': glu halves the last axis"),
                e.getMessage());
    }

    @Test
    void negativeReluParametersAreRefusedAsKerasRefusesThem() throws IOException {
        KerasImportException e = editedFails("act_thresholded_relu", "\"theta\": 0.4000000059604645",
                "\"theta\": -0.5");
        assertTrue(e.getMessage().contains("layer 'thresholded' (ThresholdedReLU): field 'theta' is -0.5; Keras"
                + " requires a finite value >= 0"), e.getMessage());
    }

    @Test
    void preluAlphaOfTheWrongShapeIsRefusedNamingBothShapes() throws IOException {
        KerasImportException e = editedFails("act_leaky_elu_prelu_softmax", "\"shared_axes\": [1]",
                "\"shared_axes\": null");
        assertTrue(e.getMessage().contains("layer 'prelu_shared' (PReLU): weight 'alpha'")
                && e.getMessage().contains("expected (6, 6)"), e.getMessage());
    }

    @Test
    void softmaxAxisOutsideTheInputIsRefused() throws IOException {
        KerasImportException e = editedFails("act_leaky_elu_prelu_softmax", "\"axis\": 1", "\"axis\": 3");
        assertTrue(e.getMessage().contains("layer 'softmax_time' (Softmax)")
                && e.getMessage().contains("axis 3 is outside the non-batch axes"), e.getMessage());
    }
}
