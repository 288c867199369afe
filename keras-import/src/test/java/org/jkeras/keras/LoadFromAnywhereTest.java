package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.fixtures.Tolerance;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models packaged inside an application jar load from every kind of source a service has: a
 * {@link Path} on the jar's zip file system, a class-path resource, bytes, a {@link ByteBuffer} and a stream; each
 * predicts what Keras predicted. One sequential case per family and single-file format ({@code .keras},
 * Keras 3 {@code .h5}, tf.keras 2 {@code .h5}).
 */
class LoadFromAnywhereTest {
    private static final Set<String> SINGLE_FILE = Set.of("keras_zip", "keras3_h5", "tf_keras2_h5");
    @TempDir
    static Path tmp;
    private static final Map<String, FixtureCase> CASES = new LinkedHashMap<>();
    private static Path jar;
    private static FileSystem jarFs;
    private static URLClassLoader loader;

    @BeforeAll
    static void packModelsIntoAJar() throws IOException {
        for (FixtureCase c : Fixtures.cases(c -> SINGLE_FILE.contains(c.format()) && c.id().contains("__sequential__"))) {
            CASES.putIfAbsent(c.family() + "/" + c.format(), c);
        }
        assertTrue(CASES.size() >= 12, "fixture cases found: " + CASES.size());
        jar = tmp.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (FixtureCase c : CASES.values()) {
                out.putNextEntry(new ZipEntry(entryName(c)));
                Files.copy(c.modelPath(), out);
                out.closeEntry();
            }
        }
        jarFs = FileSystems.newFileSystem(jar);
        loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    @AfterAll
    static void close() throws IOException {
        loader.close();
        jarFs.close();
    }

    private static String entryName(FixtureCase c) {
        return "models/" + c.id() + "/" + c.modelPath().getFileName();
    }

    @Test
    void fromAPathInsideAJar() {
        for (FixtureCase c : CASES.values()) {
            Path inJar = jarFs.getPath(entryName(c));
            assertMatchesKeras(c, KerasModels.load(inJar));
        }
    }

    @Test
    void fromAClassPathResource() {
        for (FixtureCase c : CASES.values()) {
            Model m = KerasModels.loadResource(loader, entryName(c));
            assertEquals(String.valueOf(c.modelPath().getFileName()), m.metadata().get("source"), c.id());
            assertMatchesKeras(c, m);
        }
    }

    @Test
    void fromBytesAndFromAStream() throws IOException {
        for (FixtureCase c : CASES.values()) {
            byte[] bytes = Files.readAllBytes(c.modelPath());
            assertMatchesKeras(c, KerasModels.load(bytes, c.id()));
            try (InputStream in = Files.newInputStream(c.modelPath())) {
                assertMatchesKeras(c, KerasModels.load(in, c.id()));
            }
        }
    }

    /** Heap (with bytes before the position and after the limit), direct, read-only and mapped buffers. */
    @Test
    void fromByteBuffersOfEveryKind() throws IOException {
        for (FixtureCase c : CASES.values()) {
            byte[] file = Files.readAllBytes(c.modelPath());
            byte[] padded = new byte[file.length + 10];
            java.util.Arrays.fill(padded, (byte) 0x5A);
            System.arraycopy(file, 0, padded, 7, file.length);
            ByteBuffer heap = ByteBuffer.wrap(padded, 7, file.length); // position 7, limit 7 + length
            assertMatchesKeras(c, KerasModels.load(heap, c.id()));
            assertEquals(7, heap.position(), c.id() + ": the caller's position is left as it was");
            assertEquals(7 + file.length, heap.limit(), c.id());
            ByteBuffer direct = ByteBuffer.allocateDirect(file.length).put(file).flip();
            assertMatchesKeras(c, KerasModels.load(direct.asReadOnlyBuffer(), c.id()));
            try (var channel = java.nio.channels.FileChannel.open(c.modelPath())) {
                ByteBuffer mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, channel.size());
                assertMatchesKeras(c, KerasModels.load(mapped, c.id()));
            }
        }
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.load((ByteBuffer) null, "m.keras"));
        assertEquals("no model buffer given for m.keras", e.getMessage());
        e = assertThrows(KerasImportException.class, () -> KerasModels.load(ByteBuffer.wrap(new byte[] {1, 2, 3}), "x.bin"));
        assertEquals("x.bin: not a Keras model file: it is neither a .keras zip, an HDF5 file nor a JSON config"
                + " (first bytes: 010203)", e.getMessage());
    }

    @Test
    void aMissingResourceIsNamed() {
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.loadResource(loader, "/models/none.keras"));
        assertEquals("/models/none.keras: no such resource on the class path (class loader resource names have no"
                + " leading '/')", e.getMessage());
        e = assertThrows(KerasImportException.class,
                () -> KerasModels.loadResource(LoadFromAnywhereTest.class, "none.keras"));
        assertEquals("none.keras: no such resource beside org.jkeras.keras.LoadFromAnywhereTest (a name without a"
                + " leading '/' is relative to the package org.jkeras.keras)", e.getMessage());
    }

    @Test
    void bytesThatAreNoModelOrNeedAWeightsFileAreRefused() {
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> KerasModels.load("{\"class_name\": \"Sequential\"}".getBytes(StandardCharsets.UTF_8), "m.json"));
        assertEquals("m.json: a JSON config holds no weights; load it from files with"
                + " KerasModels.load(configPath, weightsPath)", e.getMessage());
        e = assertThrows(KerasImportException.class,
                () -> KerasModels.load(new ByteArrayInputStream(new byte[] {1, 2, 3}), "x.bin"));
        assertEquals("x.bin: not a Keras model file: it is neither a .keras zip, an HDF5 file nor a JSON config"
                + " (first bytes: 010203)", e.getMessage());
    }

    @Test
    void aStreamedZipHoldingAnEntryTwiceIsRefused() throws IOException {
        FixtureCase c = CASES.values().stream().filter(x -> x.format().equals("keras_zip")).findFirst().orElseThrow();
        byte[] config;
        try (FileSystem zip = FileSystems.newFileSystem(c.modelPath())) {
            config = Files.readAllBytes(zip.getPath("config.json"));
        }
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.ZipOutputStream(bytes)) {
            for (int i = 0; i < 2; i++) {
                // ZipOutputStream refuses duplicate names, so the second copy gets a name of equal length patched below
                out.putNextEntry(new ZipEntry(i == 0 ? "config.json" : "config.jsoX"));
                out.write(config);
                out.closeEntry();
            }
        }
        byte[] zip = patch(bytes.toByteArray(), "config.jsoX", "config.json");
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasModels.load(zip, "dup.keras"));
        assertTrue(e.getMessage().startsWith("dup.keras: the zip holds two entries named ")
                && e.getMessage().contains("config.json"), e.getMessage());
    }

    private static byte[] patch(byte[] data, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + f.length <= data.length; i++) {
            if (java.util.Arrays.equals(data, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, data, i, t.length);
            }
        }
        return data;
    }

    private static void assertMatchesKeras(FixtureCase c, Model model) {
        List<Tensor> inputs = new ArrayList<>();
        for (FixtureArray in : c.inputs()) {
            inputs.add(Tensor.wrap(in.data(), in.shape()));
        }
        List<Tensor> outputs = model.predict(inputs);
        assertEquals(c.outputs().size(), outputs.size(), c.id());
        for (int i = 0; i < outputs.size(); i++) {
            Tolerance.assertMatches(c, i, outputs.get(i).data(), outputs.get(i).shape());
        }
    }
}
