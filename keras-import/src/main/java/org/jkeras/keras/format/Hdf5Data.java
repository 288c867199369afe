package org.jkeras.keras.format;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.message.DataLayout;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;

/**
 * Reads the values of an HDF5 dataset with every size checked before it is allocated, instead of jHDF's
 * {@code getData}: contiguous and compact data must lie inside the file; chunked data is decoded chunk by chunk
 * through {@link Hdf5Filters} (bounded inflation, verified checksums), after its declared size has been compared
 * with its stored size ({@link Limit#MAX_COMPRESSION_RATIO}); floats of any HDF5 float type are converted by
 * {@link Hdf5Floats}. Virtual datasets and external storage are refused: nothing outside the file is read.
 */
final class Hdf5Data {
    /** Declared sizes up to this are exempt from the compression ratio check (tiny arrays compress well). */
    static final long RATIO_GRACE_BYTES = 64L << 20;

    private static final Method CHUNK_LOOKUP = chunkLookup();

    private Hdf5Data() {
    }

    /** The dataset's float type, or an error naming what it is instead. */
    static FloatingPoint floatType(Dataset ds, String where) {
        DataType t = type(ds, where);
        if (t instanceof FloatingPoint fp) {
            return fp;
        }
        String what = t instanceof FixedPoint fx ? (fx.isSigned() ? "signed" : "unsigned") + " " + 8 * fx.getSize()
                + "-bit integers" : t instanceof StringData ? "strings" : "HDF5 " + t.getClass().getSimpleName();
        throw new KerasImportException(where + ": weight holds " + what + "; weights must be floats (float16,"
                + " float32 or float64), other types are refused");
    }

    static DataType type(Dataset ds, String where) {
        try {
            return ds.getDataType();
        } catch (RuntimeException e) {
            throw new KerasImportException(where + ": cannot read the dataset's type (corrupt file?): "
                    + e.getMessage(), e);
        }
    }

    /** The values as float32 ({@code elements} must equal the dataset's size, already checked against limits). */
    static float[] floats(Dataset ds, int elements, Hdf5Tree tree, String where) {
        Hdf5Floats conv = Hdf5Floats.of(floatType(ds, where), where);
        ByteBuffer raw = bytes(ds, elements, conv.size(), tree, where);
        float[] out = new float[elements];
        conv.decode(raw, out);
        return out;
    }

    /** The values of a dataset of 64-bit integers (an optimizer's iteration count). */
    static long[] int64s(Dataset ds, int elements, Hdf5Tree tree, String where) {
        if (!(type(ds, where) instanceof FixedPoint fx) || fx.getSize() != 8) {
            throw new KerasImportException(where + ": expected 64-bit integers");
        }
        ByteBuffer raw = bytes(ds, elements, 8, tree, where).order(fx.getByteOrder());
        long[] out = new long[elements];
        raw.asLongBuffer().get(out);
        return out;
    }

    /** Exactly {@code elements * size} decoded bytes of the dataset, positioned at 0. */
    static ByteBuffer bytes(Dataset ds, int elements, int size, Hdf5Tree tree, String where) {
        long want = (long) elements * size;
        if (want > Integer.MAX_VALUE - 64) {
            throw new KerasImportException(where + ": " + want + " bytes are more than one Java array holds");
        }
        DataLayout layout;
        try {
            layout = ds.getDataLayout();
        } catch (RuntimeException e) {
            throw new KerasImportException(where + ": cannot read the dataset's layout (corrupt file, or an"
                    + " unsupported layout such as a virtual dataset): " + e.getMessage(), e);
        }
        try {
            ByteBuffer b = switch (layout) {
                case COMPACT -> ((DatasetBase) ds).getDataBuffer();
                case CONTIGUOUS -> contiguous((ContiguousDataset) ds, want, tree, where);
                case CHUNKED -> ByteBuffer.wrap(chunked((ChunkedDataset) ds, elements, size, tree, where));
                default -> throw new KerasImportException(where + ": is a " + layout + " HDF5 dataset; only"
                        + " contiguous, compact and chunked datasets stored in the file are read");
            };
            if (b == null || b.remaining() < want) {
                throw new KerasImportException(where + ": the dataset holds " + (b == null ? 0 : b.remaining())
                        + " bytes, its shape needs " + want + " (truncated or corrupt file)");
            }
            return b.slice().order(ByteOrder.LITTLE_ENDIAN);
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasImportException(where + ": cannot read the dataset's values (truncated or corrupt"
                    + " file?): " + e.getMessage(), e);
        }
    }

    private static ByteBuffer contiguous(ContiguousDataset ds, long want, Hdf5Tree tree, String where) {
        long address = ds.getDataAddress();
        if (address < 0 || address == 0xffffffffffffffffL) {
            throw new KerasImportException(where + ": the dataset has no stored values");
        }
        if (want > tree.fileSize() || address > tree.fileSize() - want) {
            throw new KerasImportException(where + ": the dataset's " + want + " bytes at offset " + address
                    + " lie beyond the end of the " + tree.fileSize() + "-byte file (truncated or corrupt)");
        }
        return ds.getBuffer();
    }

    private static byte[] chunked(ChunkedDataset ds, int elements, int size, Hdf5Tree tree, String where) {
        List<Hdf5Filters.Step> pipeline = pipeline(ds, where);
        Hdf5Filters.requireSupported(pipeline, where);
        int[] dims = ds.getDimensions();
        int[] chunkDims = ds.getChunkDimensions();
        if (chunkDims.length != dims.length) {
            throw new KerasImportException(where + ": chunks of rank " + chunkDims.length + " in a dataset of rank "
                    + dims.length + " (corrupt file)");
        }
        long chunkElements = 1;
        long cells = 1;
        for (int i = 0; i < dims.length; i++) {
            if (chunkDims[i] < 1) {
                throw new KerasImportException(where + ": chunk dimension " + chunkDims[i] + " (corrupt file)");
            }
            chunkElements *= chunkDims[i];
            cells *= (dims[i] + (long) chunkDims[i] - 1) / chunkDims[i];
            tree.limits().check(Limit.MAX_TENSOR_ELEMENTS, chunkElements, where + ": one chunk");
            tree.limits().check(Limit.MAX_HDF5_OBJECTS, cells, where + ": chunks");
        }
        int chunkBytes = Math.toIntExact(chunkElements * size);
        Collection<Chunk> chunks = chunks(ds, where);
        tree.count(chunks.size(), where);
        if (chunks.size() != cells) {
            throw new KerasImportException(where + ": the dataset has " + chunks.size() + " stored chunks, its"
                    + " shape needs " + cells + " (unwritten chunks are refused)");
        }
        long stored = 0;
        for (Chunk c : chunks) {
            stored += c.getSize();
        }
        long want = (long) elements * size;
        if (want > RATIO_GRACE_BYTES && want > stored * tree.limits().get(Limit.MAX_COMPRESSION_RATIO)) {
            throw tree.limits().exceeded(Limit.MAX_COMPRESSION_RATIO, want / Math.max(1, stored), where
                    + " (declares " + want + " bytes stored in " + stored + " compressed bytes)");
        }
        byte[] out = new byte[(int) want];
        for (Chunk c : chunks) {
            long[] offset = c.getChunkOffset();
            int[] at = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                if (offset[i] < 0 || offset[i] >= dims[i] || offset[i] % chunkDims[i] != 0) {
                    throw new KerasImportException(where + ": a chunk sits at offset " + java.util.Arrays.toString(offset)
                            + ", outside the dataset's grid (corrupt file)");
                }
                at[i] = (int) offset[i];
            }
            ByteBuffer rawBuffer = ds.getRawChunkBuffer(at);
            byte[] raw = new byte[rawBuffer.remaining()];
            rawBuffer.get(raw);
            byte[] data = Hdf5Filters.decode(raw, pipeline, c.getFilterMask(), chunkBytes, where);
            copyChunk(data, at, chunkDims, dims, size, out);
        }
        return out;
    }

    /** Copies the part of a chunk inside the dataset into the row-major output. */
    private static void copyChunk(byte[] chunk, int[] at, int[] chunkDims, int[] dims, int size, byte[] out) {
        int rank = dims.length;
        int last = rank - 1;
        int run = Math.min(chunkDims[last], dims[last] - at[last]) * size; // bytes of one row inside the dataset
        int[] idx = new int[rank]; // position inside the chunk, last index always 0
        while (true) {
            boolean inside = true;
            long src = 0;
            long dst = 0;
            for (int i = 0; i < rank; i++) {
                if (at[i] + idx[i] >= dims[i]) {
                    inside = false;
                }
                src = src * chunkDims[i] + idx[i];
                dst = dst * dims[i] + at[i] + idx[i];
            }
            if (inside) {
                System.arraycopy(chunk, (int) (src * size), out, (int) (dst * size), run);
            }
            int d = last - 1;
            while (d >= 0 && ++idx[d] == chunkDims[d]) {
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static List<Hdf5Filters.Step> pipeline(Dataset ds, String where) {
        List<PipelineFilterWithData> filters;
        try {
            filters = ds.getFilters();
        } catch (RuntimeException e) {
            throw new KerasImportException(where + ": uses an HDF5 filter jkeras does not read (" + e.getMessage()
                    + "); it reads deflate/gzip, shuffle and fletcher32, what h5py writes", e);
        }
        List<Hdf5Filters.Step> steps = new ArrayList<>(filters.size());
        for (PipelineFilterWithData f : filters) {
            steps.add(new Hdf5Filters.Step(f.getId(), f.getName(), f.getFilterData()));
        }
        return steps;
    }

    @SuppressWarnings("unchecked")
    private static Collection<Chunk> chunks(ChunkedDataset ds, String where) {
        if (CHUNK_LOOKUP == null || !(ds instanceof ChunkedDatasetBase)) {
            throw new KerasImportException(where + ": chunked HDF5 datasets cannot be read with this jHDF version");
        }
        try {
            return ((Map<?, Chunk>) CHUNK_LOOKUP.invoke(ds)).values();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KerasImportException(where + ": cannot read the chunk index (corrupt file?): "
                    + cause.getMessage(), cause);
        }
    }

    /**
     * jHDF lists a chunked dataset's chunks (with each chunk's filter mask, needed to decode it) only through a
     * protected method; the public API gives a chunk's bytes without its mask.
     */
    private static Method chunkLookup() {
        try {
            Method m = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
