package org.jkeras.keras;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jkeras.fixtures.Fixtures;
import org.jkeras.runtime.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .keras zip's entries are read in memory with bounded sizes: an entry whose declared size is
 * absurd, or that inflates to more than it declares (how zip bombs and forged headers look), is
 * refused before memory grows with it.
 */
class KerasZipBoundsTest {
    @TempDir
    Path tmp;

    /** Re-zips the fixture model.keras with deflate, then sets {@code entry}'s central-directory size. */
    private Path rezipWithDeclaredSize(String entry, long declared) throws IOException {
        Path src = Fixtures.root().resolve("models/lstm_last_dense/sequential/model.keras");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(src.toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e : in.stream().toList()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
        }
        byte[] zip = bytes.toByteArray();
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        boolean patched = false;
        for (int i = 0; i + 46 < zip.length; i++) {
            if (buf.getInt(i) == 0x02014b50) { // central directory file header
                int nameLen = buf.getShort(i + 28) & 0xffff;
                String name = new String(zip, i + 46, nameLen, StandardCharsets.UTF_8);
                if (name.equals(entry)) {
                    buf.putInt(i + 24, (int) declared);
                    patched = true;
                }
            }
        }
        assertTrue(patched, "no central directory entry " + entry);
        Path p = tmp.resolve("forged.keras");
        Files.write(p, zip);
        return p;
    }

    @Test
    void rezippedModelStillLoads() throws IOException {
        Path src = Fixtures.root().resolve("models/lstm_last_dense/sequential/model.keras");
        long size;
        try (ZipFile z = new ZipFile(src.toFile())) {
            size = z.getEntry("config.json").getSize();
        }
        Model m = KerasModels.load(rezipWithDeclaredSize("config.json", size)); // the true size: a control
        assertTrue(m.parameterCount() > 0);
    }

    @Test
    void entryInflatingBeyondItsDeclaredSizeIsRefused() throws IOException {
        Path p = rezipWithDeclaredSize("config.json", 100);
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasModels.load(p));
        assertTrue(e.getMessage().contains("forged.keras: zip entry config.json: inflates to more than its declared 100"
                + " bytes"), e.getMessage());
    }

    @Test
    void weightsEntryDeclaringMoreThanTheLimitIsRefused() throws IOException {
        Path p = rezipWithDeclaredSize("model.weights.h5", 0xF0000000L);
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasModels.load(p));
        assertTrue(e.getMessage().contains("forged.keras: zip entry model.weights.h5: uncompressed bytes of one zip entry is"
                + " 4026531840, more than the limit max_zip_entry_bytes="), e.getMessage());
    }

    @Test
    void entryShorterThanDeclaredIsRefusedAsTruncated() throws IOException {
        Path src = Fixtures.root().resolve("models/lstm_last_dense/sequential/model.keras");
        long size;
        try (ZipFile z = new ZipFile(src.toFile())) {
            size = z.getEntry("model.weights.h5").getSize();
        }
        Path p = rezipWithDeclaredSize("model.weights.h5", size + 10);
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasModels.load(p));
        assertTrue(e.getMessage().contains("but declares " + (size + 10)), e.getMessage());
    }
}
