package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The files that must be refused for running code (Lambda, TFOpLambda, Python lambdas, custom objects) or for their
 * graph (cycles, self loops, dangling inbound nodes) are otherwise complete models: each differs from a base that
 * loads only in its {@code config.json}, its weights byte for byte the base's, so {@link MalformedFilesTest} proves
 * they are refused for that reason, not because weights are missing. The Lambda model Keras saved itself loads once
 * its Lambda is swapped for a weightless layer (the custom-layer model loads with its implementation registered, in
 * {@link CustomLayerTest}).
 */
class RefusalsHaveCompleteWeightsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "keras_cycle.keras, base_fn.keras",
        "keras_self_loop.keras, base_fn.keras",
        "keras_dangling_layer.keras, base_fn.keras",
        "keras_dangling_node.keras, base_fn.keras",
        "keras_custom_module.keras, base_seq.keras",
        "keras_registered_name.keras, base_seq.keras",
        "keras_custom_activation.keras, base_seq.keras",
        "keras_custom_initializer.keras, base_seq.keras",
        "keras_lambda_activation.keras, base_seq.keras",
        "keras_tfoplambda.keras, base_seq.keras",
    })
    void differsFromALoadableBaseOnlyInItsConfig(String refused, String base) throws IOException {
        Model loaded = KerasModels.load(MalformedFiles.file(base));
        assertNotNull(loaded);
        assertArrayEquals(entry(MalformedFiles.file(base), "model.weights.h5"),
                entry(MalformedFiles.file(refused), "model.weights.h5"), refused + ": weights differ from " + base);
        assertArrayEquals(entry(MalformedFiles.file(base), "metadata.json"),
                entry(MalformedFiles.file(refused), "metadata.json"), refused + ": metadata differs from " + base);
    }

    @Test
    void theLambdaModelLoadsOnceItsLambdaIsAWeightlessLayer() throws IOException {
        Path file = MalformedFiles.file("lambda_layer.keras");
        ObjectNode config = (ObjectNode) JSON.readTree(new String(entry(file, "config.json"), StandardCharsets.UTF_8));
        int swapped = 0;
        for (JsonNode layer : config.path("config").path("layers")) {
            if ("Lambda".equals(layer.path("class_name").asString(""))) {
                ObjectNode l = (ObjectNode) layer;
                l.put("class_name", "Activation");
                ObjectNode c = JSON.createObjectNode();
                c.put("name", layer.path("config").path("name").asString());
                c.put("activation", "linear");
                c.put("trainable", true);
                c.set("dtype", layer.path("config").path("dtype"));
                l.set("config", c);
                swapped++;
            }
        }
        assertEquals(1, swapped, "lambda_layer.keras has one Lambda layer");
        Path repaired = tmp.resolve("no_lambda.keras");
        try (OutputStream out = Files.newOutputStream(repaired); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "metadata.json", entry(file, "metadata.json"));
            put(zip, "config.json", JSON.writeValueAsBytes(config));
            put(zip, "model.weights.h5", entry(file, "model.weights.h5"));
        }
        Model m = KerasModels.load(repaired);
        assertEquals(2 * 3 + 2 + 2 + 1, m.parameterCount(), "both Dense layers got their weights");
    }

    private static byte[] entry(Path zipFile, String name) throws IOException {
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            ZipEntry e = zip.getEntry(name);
            assertNotNull(e, zipFile.getFileName() + " has no " + name);
            return zip.getInputStream(e).readAllBytes();
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
