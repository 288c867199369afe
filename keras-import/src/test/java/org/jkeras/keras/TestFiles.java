package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.fail;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jkeras.fixtures.FixtureArray;
import org.jkeras.fixtures.FixtureCase;
import org.jkeras.runtime.tensor.Tensor;

/** Test helpers: locating the external conformance files and reading HDF5 arrays, .npy and .tar.gz. */
final class TestFiles {
    private TestFiles() {
    }

    /** {@code <jkeras.root>/../shared/conformance/dl4j}; fails (never skips) when it is missing. */
    static Path dl4j() {
        String root = System.getProperty("jkeras.root");
        Path base = root != null && !root.isBlank() ? Path.of(root) : Path.of(System.getProperty("user.dir")).getParent();
        Path dir = base.resolve("../shared/conformance/dl4j").toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("README.md"))) {
            fail("external Keras conformance files not found at " + dir + " (expected shared/ beside the repository"
                    + " root; set -Djkeras.root=<repository root>)");
        }
        return dir;
    }

    /** A file under {@code dl4j()/modelimport/keras/}. */
    static Path keras(String relative) {
        Path p = dl4j().resolve("modelimport/keras").resolve(relative);
        if (!Files.isRegularFile(p)) {
            fail("missing conformance file " + p);
        }
        return p;
    }

    /** A float32 dataset of an HDF5 file as a tensor. */
    static Tensor h5Array(Path file, String dataset) {
        try (HdfFile h5 = new HdfFile(file)) {
            Dataset ds = h5.getDatasetByPath(dataset);
            Object data = ds.getDataFlat();
            float[] values;
            if (data instanceof float[] f) {
                values = f;
            } else {
                double[] d = (double[]) data;
                values = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    values[i] = (float) d[i];
                }
            }
            return Tensor.wrap(values, ds.getDimensions());
        }
    }

    /** A little-endian float32 .npy array (the only kind the fixtures hold). */
    static float[] npyFloat32(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not a .npy file");
        }
        int major = bytes[6];
        int headerLen = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLen;
        String header = new String(bytes, major == 1 ? 10 : 12, headerLen, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": expected C-order little-endian float32, header " + header);
        }
        float[] out = new float[(bytes.length - start) / 4];
        buf.position(start);
        buf.asFloatBuffer().get(out);
        return out;
    }

    /** The regular files of a .tar.gz, by name (POSIX/ustar headers; enough for small test archives). */
    static Map<String, byte[]> tarGz(Path file) throws IOException {
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            tar = in.readAllBytes();
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        int pos = 0;
        while (pos + 512 <= tar.length) {
            if (tar[pos] == 0) {
                break; // end-of-archive blocks
            }
            String name = cString(tar, pos, 100);
            String prefix = cString(tar, pos + 345, 155);
            long size = Long.parseLong(cString(tar, pos + 124, 12).trim(), 8);
            char type = (char) tar[pos + 156];
            pos += 512;
            if (type == '0' || type == 0) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(tar, pos, (int) size);
                files.put(prefix.isEmpty() ? name : prefix + "/" + name, out.toByteArray());
            }
            pos += (int) ((size + 511) / 512 * 512);
        }
        return files;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** A fixture case's inputs as tensors, in the model's input order (the case's arrays wrapped, not copied). */
    static List<Tensor> inputs(FixtureCase c) {
        List<Tensor> in = new ArrayList<>();
        for (FixtureArray a : c.inputs()) {
            in.add(Tensor.wrap(a.data(), a.shape()));
        }
        return in;
    }

    /** max |a - e| over all elements; fails if the sizes differ. */
    static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            fail(actual.length + " values, expected " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }

    /** The bytes of one entry of a zip file. */
    static byte[] zipEntry(Path zip, String entry) {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            java.util.zip.ZipEntry e = z.getEntry(entry);
            if (e == null) {
                fail(zip + " has no entry " + entry);
            }
            try (InputStream in = z.getInputStream(e)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The model config of a fixture case as JSON text: its .json file, or the model_config attribute of its .h5. */
    static String modelConfig(org.jkeras.fixtures.FixtureCase c) {
        try {
            if (c.modelPath().toString().endsWith(".json")) {
                return Files.readString(c.modelPath());
            }
            try (HdfFile h5 = new HdfFile(c.modelPath())) {
                Object v = h5.getAttribute("model_config").getData();
                String config = v instanceof String s ? s : ((String[]) v)[0];
                // the version lives in its own attribute; the JSON must carry it for its semantics (hard_sigmoid)
                Object version = h5.getAttribute("keras_version").getData();
                String text = version instanceof String s ? s : ((String[]) version)[0];
                return "{\"keras_version\": \"" + text + "\", " + config.trim().substring(1);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
