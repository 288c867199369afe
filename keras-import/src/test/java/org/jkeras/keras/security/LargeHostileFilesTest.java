package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.Limit;
import org.jkeras.keras.LimitExceededException;
import org.jkeras.keras.LoadOptions;
import org.jkeras.runtime.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files too large to commit, made here: a 10 000-entry zip, a Functional config of 100 000 layers listed
 * in reverse dependency order, megabyte strings in a config. Each is refused by its named limit, fast; raised
 * limits let the reverse-ordered graph load in linear-ish time, and errors never echo more than a bounded text.
 */
class LargeHostileFilesTest {
    @TempDir
    Path tmp;

    /** A .keras file with the base model's entries, config.json replaced by {@code config} when not null. */
    private Path keras(String name, String config, int extraEntries) throws IOException {
        Path p = tmp.resolve(name);
        try (ZipFile base = new ZipFile(MalformedFiles.file("base_seq.keras").toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(p))) {
            out.setMethod(ZipOutputStream.STORED);
            for (ZipEntry e : base.stream().toList()) {
                byte[] data = e.getName().equals("config.json") && config != null
                        ? config.getBytes(StandardCharsets.UTF_8) : base.getInputStream(e).readAllBytes();
                stored(out, e.getName(), data);
            }
            for (int i = 0; i < extraEntries; i++) {
                stored(out, "assets/" + i, new byte[0]);
            }
        }
        return p;
    }

    private static void stored(ZipOutputStream out, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        out.putNextEntry(e);
        out.write(data);
        out.closeEntry();
    }

    @Test
    void zipOfTenThousandEntriesIsRefusedByTheEntryLimit() throws IOException {
        Path p = keras("many.keras", null, 10_000);
        LimitExceededException e = (LimitExceededException) MalformedFiles.assertRefused(p, null,
                LoadOptions.defaults(), "many.keras: zip: entries of a .keras zip is 10003, more than the limit"
                        + " max_zip_entries=1000");
        assertEquals(Limit.MAX_ZIP_ENTRIES, e.limit());
        assertEquals(10_003, e.found());
        Model m = KerasModels.load(p, null, LoadOptions.builder().limit("max_zip_entries", 20_000).build());
        assertTrue(m.parameterCount() > 0, "raised limit: the zip loads");
    }

    /** Dropout layers d0..d(n-1), each called on the previous one, listed last first (Keras 2 inbound form). */
    private static String reversedChain(int n) {
        StringBuilder b = new StringBuilder(n * 120);
        b.append("{\"class_name\": \"Functional\", \"config\": {\"name\": \"chain\", \"layers\": [");
        for (int i = n - 1; i >= 0; i--) {
            String in = i == 0 ? "x" : "d" + (i - 1);
            b.append("{\"class_name\": \"Dropout\", \"name\": \"d").append(i).append("\", \"config\": {\"name\": \"d")
                    .append(i).append("\", \"rate\": 0.1}, \"inbound_nodes\": [[[\"").append(in)
                    .append("\", 0, 0, {}]]]}, ");
        }
        b.append("{\"class_name\": \"InputLayer\", \"name\": \"x\", \"config\": {\"name\": \"x\", \"batch_shape\":"
                + " [null, 3]}, \"inbound_nodes\": []}], \"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"d")
                .append(n - 1).append("\", 0, 0]]}}");
        return b.toString();
    }

    @Test
    void hundredThousandLayersInReverseOrderAreRefusedByTheLayerLimitAtOnce() throws IOException {
        Path p = keras("reversed.keras", reversedChain(100_000), 0);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> MalformedFiles.assertRefused(p, null,
                LoadOptions.defaults(), "reversed.keras: the Functional model: layers of a model is 100001, more than"
                        + " the limit max_layers=10000"));
    }

    @Test
    void hundredThousandLayersInReverseOrderLoadFastWithRaisedLimits() throws IOException {
        Path p = keras("reversed.keras", reversedChain(100_000), 0);
        LoadOptions raised = LoadOptions.builder().limit(Limit.MAX_LAYERS, 200_000)
                .limit(Limit.MAX_GRAPH_NODES, 400_000).limit(Limit.MAX_JSON_BYTES, 64L << 20).build();
        Model m = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> KerasModels.load(p, null, raised));
        assertEquals(100_000, m.layers().size());
        assertEquals("d99999", m.outputNames().get(0));
    }

    @Test
    void megabyteLayerNameIsRefusedByTheStringLimit() throws IOException {
        String json = Files.readString(MalformedFiles.file("base_seq.json"));
        Path p = tmp.resolve("long_name.json");
        Files.writeString(p, json.replace("\"name\": \"dense\"", "\"name\": \"" + "x".repeat(2_000_000) + "\""));
        MalformedFiles.assertRefused(p, MalformedFiles.weightsFor("x.json"), LoadOptions.defaults(),
                "long_name.json: characters of one JSON string is", "more than the limit max_json_string_chars=1048576");
    }

    @Test
    void errorsEchoLongNamesBounded() throws IOException {
        String json = Files.readString(MalformedFiles.file("base_seq.json"));
        Path p = tmp.resolve("long_unknown.json");
        String name = "y".repeat(300_000);
        Files.writeString(p, json.replace("\"name\": \"dense\"", "\"name\": \"" + name + "\"")
                .replace("\"class_name\": \"Dense\"", "\"class_name\": \"" + name + "\""));
        LoadOptions raised = LoadOptions.builder().limit(Limit.MAX_JSON_STRING_CHARS, 1_000_000).build();
        KerasImportException e = MalformedFiles.assertRefused(p, MalformedFiles.weightsFor("x.json"), raised,
                "long_unknown.json: layer 'yyy", "...(300000 characters)");
        assertTrue(e.getMessage().length() < 4000, e.getMessage().length() + " characters");
    }
}
