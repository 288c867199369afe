package org.jkeras.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;
import org.jkeras.keras.KerasModels;
import org.jkeras.runtime.Model;

/**
 * One loaded {@link Model} per broadcast per executor JVM, shared by all its task threads (a
 * {@code Model} is immutable and thread-safe).
 */
final class ExecutorModels {
    private static final ConcurrentHashMap<Long, Model> MODELS = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger LOADS = new java.util.concurrent.atomic.AtomicInteger();

    private ExecutorModels() {
    }

    /** The broadcast's model, with its kernels rounded to bfloat16 when asked (each broadcast is one scoring's). */
    static Model get(Broadcast<byte[]> model, boolean bfloat16Kernels) {
        return MODELS.computeIfAbsent(model.id(), id -> {
            LOADS.incrementAndGet();
            Model m = load(model.value());
            return bfloat16Kernels ? m.withBfloat16Kernels() : m;
        });
    }

    /** How many models this JVM has loaded from broadcasts (for tests: one per scoring, not per task). */
    static int loads() {
        return LOADS.get();
    }

    static Model load(byte[] modelFile) {
        Path tmp = null;
        try { // KerasModels reads files; the format is sniffed from the bytes, not the name
            tmp = Files.createTempFile("jkeras-model-", ".bin");
            Files.write(tmp, modelFile);
            return KerasModels.load(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the model bytes", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
