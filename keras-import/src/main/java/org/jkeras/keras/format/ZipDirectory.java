package org.jkeras.keras.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;

/**
 * The central directory of a zip file, read the way Python's {@code zipfile} finds it (the end record at the end
 * of the file, possibly after a prefix), with every entry's name, sizes, method, attributes and where its data
 * starts. java.util.zip does not expose data offsets or Unix attributes, which jkeras needs: to map an entry
 * stored uncompressed straight from the file (no copy of a large weights file on the heap), to refuse symbolic
 * links, and to tell a genuine {@code .keras} file from one that is also an HDF5 file.
 */
final class ZipDirectory {
    private static final int END = 0x06054b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int END_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;

    /** One entry of the central directory. */
    record Entry(String name, int method, int flags, long crc, long compressedSize, long size, long localOffset,
                 int unixMode) {
        boolean isSymlink() {
            return (unixMode & 0xf000) == 0xa000;
        }

        boolean isDirectory() {
            return name.endsWith("/") || (unixMode & 0xf000) == 0x4000;
        }
    }

    private final List<Entry> entries;
    private final long prefix; // bytes before the zip (Python's zipfile allows them, as for self-extracting zips)

    private ZipDirectory(List<Entry> entries, long prefix) {
        this.entries = entries;
        this.prefix = prefix;
    }

    List<Entry> entries() {
        return entries;
    }

    /** The entry of that name, or null. */
    Entry entry(String name) {
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Where the entry's data starts in the file (after its local header), checked against its central record.
     *
     * @throws KerasImportException when the local header is missing or disagrees
     */
    long dataOffset(FileChannel ch, Entry e, String file) throws IOException {
        long at = prefix + e.localOffset();
        ByteBuffer h = read(ch, at, 30);
        if (h.remaining() < 30 || h.getInt(0) != LOCAL) {
            throw new KerasImportException(file + ": zip entry " + Echo.of(e.name()) + " has no local header at"
                    + " offset " + at + " (corrupt zip)");
        }
        int nameLen = h.getShort(26) & 0xffff;
        int extraLen = h.getShort(28) & 0xffff;
        int method = h.getShort(8) & 0xffff;
        ByteBuffer name = read(ch, at + 30, nameLen);
        byte[] nb = new byte[name.remaining()];
        name.get(nb);
        if (method != e.method() || !new String(nb, StandardCharsets.UTF_8).equals(e.name())
                && !new String(nb, StandardCharsets.ISO_8859_1).equals(e.name())) {
            throw new KerasImportException(file + ": zip entry " + Echo.of(e.name()) + ": its local header disagrees"
                    + " with the central directory (corrupt or forged zip)");
        }
        return at + 30 + nameLen + extraLen;
    }

    /**
     * Finds the end record as Python's zipfile does: at the very end (no comment), else the last one in the final
     * 64 KiB whose comment reaches exactly to the end of the file. Null when the file is not a zip.
     */
    static ZipDirectory find(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < END_SIZE) {
            return null;
        }
        int tail = (int) Math.min(size, END_SIZE + MAX_COMMENT);
        ByteBuffer b = read(ch, size - tail, tail);
        for (int i = tail - END_SIZE; i >= 0; i--) {
            if (b.getInt(i) != END) {
                continue;
            }
            int commentLen = b.getShort(i + 20) & 0xffff;
            if (i + END_SIZE + commentLen != tail) {
                continue;
            }
            long endAt = size - tail + i;
            long cdSize = b.getInt(i + 12) & 0xffffffffL;
            long cdOffset = b.getInt(i + 16) & 0xffffffffL;
            if (cdSize > endAt) {
                continue;
            }
            long cdAt = endAt - cdSize;       // where the directory really is
            long prefix = cdAt - cdOffset;    // bytes before the zip, as zipfile computes "concat"
            if (prefix < 0) {
                continue;
            }
            return new ZipDirectory(List.of(), prefix); // entries are read by parse(), with the limits
        }
        return null;
    }

    /**
     * Parses the directory's records with the load's limits: at most {@link Limit#MAX_ZIP_ENTRIES}, names unique,
     * no symbolic links, no encryption, no names that leave the archive ({@code ..}, absolute paths).
     */
    static ZipDirectory parse(FileChannel ch, String file, Limits limits) throws IOException {
        ZipDirectory end = find(ch);
        if (end == null) {
            throw new KerasImportException(file + ": not a readable .keras zip: no end of central directory record"
                    + " (truncated or corrupt?)");
        }
        long size = ch.size();
        long tail = Math.min(size, END_SIZE + MAX_COMMENT);
        ByteBuffer t = read(ch, size - tail, (int) tail);
        int i = (int) tail - END_SIZE;
        while (i >= 0 && !(t.getInt(i) == END && i + END_SIZE + (t.getShort(i + 20) & 0xffff) == tail)) {
            i--;
        }
        int count = t.getShort(i + 10) & 0xffff;
        long cdSize = t.getInt(i + 12) & 0xffffffffL;
        long cdOffset = t.getInt(i + 16) & 0xffffffffL;
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            throw new KerasImportException(file + ": is a ZIP64 archive (over 65535 entries or 4 GiB), which a .keras"
                    + " file jkeras reads never needs");
        }
        limits.check(Limit.MAX_ZIP_ENTRIES, count, file + ": zip");
        long cdAt = end.prefix + cdOffset;
        ByteBuffer cd = read(ch, cdAt, (int) Math.min(cdSize, Integer.MAX_VALUE - 64));
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int p = 0;
        while (p + 46 <= cd.limit() && cd.getInt(p) == CENTRAL) {
            limits.check(Limit.MAX_ZIP_ENTRIES, entries.size() + 1L, file + ": zip");
            int flags = cd.getShort(p + 8) & 0xffff;
            int method = cd.getShort(p + 10) & 0xffff;
            long crc = cd.getInt(p + 16) & 0xffffffffL;
            long csize = cd.getInt(p + 20) & 0xffffffffL;
            long usize = cd.getInt(p + 24) & 0xffffffffL;
            int nameLen = cd.getShort(p + 28) & 0xffff;
            int extraLen = cd.getShort(p + 30) & 0xffff;
            int commentLen = cd.getShort(p + 32) & 0xffff;
            int madeBy = (cd.getShort(p + 4) & 0xffff) >>> 8;
            long external = cd.getInt(p + 38) & 0xffffffffL;
            long local = cd.getInt(p + 42) & 0xffffffffL;
            if (p + 46 + nameLen > cd.limit()) {
                break;
            }
            byte[] nb = new byte[nameLen];
            cd.get(p + 46, nb);
            String name = new String(nb, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            int mode = madeBy == 3 ? (int) (external >>> 16) : 0; // Unix attributes only when made on Unix
            Entry e = new Entry(name, method, flags, crc, csize, usize, local, mode);
            check(e, names, file);
            entries.add(e);
            p += 46 + nameLen + extraLen + commentLen;
        }
        if (entries.size() != count) {
            throw new KerasImportException(file + ": the zip's central directory lists " + entries.size()
                    + " entries but its end record says " + count + " (truncated or corrupt zip)");
        }
        return new ZipDirectory(List.copyOf(entries), end.prefix);
    }

    /**
     * The uncompressed bytes of an entry (stored or deflated), its sizes checked first: at most {@code limit}
     * (a JSON entry's {@link Limit#MAX_JSON_BYTES}, else {@link Limit#MAX_ZIP_ENTRY_BYTES}) and, past 1 MiB, at most
     * {@link Limit#MAX_COMPRESSION_RATIO} times its compressed size. Memory grows with the bytes actually
     * inflated, never past the declared size; the CRC-32 is verified, as Python's zipfile does.
     */
    byte[] read(FileChannel ch, Entry e, Limit limit, String file, Limits limits) throws IOException {
        String what = file + ": zip entry " + Echo.of(e.name());
        checkSizes(ch, e, limit, what, limits);
        long at = dataOffset(ch, e, file);
        byte[] out = new byte[(int) e.size()];
        if (e.method() == 0) {
            ByteBuffer b = read(ch, at, (int) e.size());
            if (b.remaining() != e.size()) {
                throw new KerasImportException(what + ": holds " + b.remaining() + " bytes but declares " + e.size()
                        + " (truncated or corrupt zip)");
            }
            b.get(out);
        } else {
            int[] n = {0};
            inflate(ch, at, e, (b, off, len) -> {
                System.arraycopy(b, off, out, n[0], len);
                n[0] += len;
            }, what);
        }
        verifyCrc(ByteBuffer.wrap(out), e, what);
        return out;
    }

    /**
     * Inflates a deflated entry into {@code target} (written from its current position), its sizes checked as by
     * {@link #read} and its CRC-32 verified; memory stays at one 64 KiB buffer whatever the entry's size.
     */
    void inflateTo(FileChannel ch, Entry e, FileChannel target, String file, Limits limits) throws IOException {
        String what = file + ": zip entry " + Echo.of(e.name());
        checkSizes(ch, e, Limit.MAX_ZIP_ENTRY_BYTES, what, limits);
        long at = dataOffset(ch, e, file);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        inflate(ch, at, e, (b, off, len) -> {
            crc.update(b, off, len);
            ByteBuffer w = ByteBuffer.wrap(b, off, len);
            while (w.hasRemaining()) {
                target.write(w);
            }
        }, what);
        if (crc.getValue() != e.crc()) {
            throw new KerasImportException(what + ": CRC-32 mismatch (the zip is corrupt)");
        }
    }

    /** Where inflated bytes go, one buffer-full at a time. */
    private interface Sink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /**
     * An entry stored uncompressed, mapped read-only from the file (no heap copy: how a large weights file is
     * opened), CRC-32 verified.
     */
    ByteBuffer map(FileChannel ch, Entry e, String file, Limits limits) throws IOException {
        String what = file + ": zip entry " + Echo.of(e.name());
        checkSizes(ch, e, Limit.MAX_ZIP_ENTRY_BYTES, what, limits);
        long at = dataOffset(ch, e, file);
        if (at + e.size() > ch.size()) {
            throw new KerasImportException(what + ": its " + e.size() + " bytes run past the end of the file"
                    + " (truncated zip)");
        }
        ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, at, e.size());
        verifyCrc(b.duplicate(), e, what);
        return b;
    }

    private static void checkSizes(FileChannel ch, Entry e, Limit limit, String what, Limits limits)
            throws IOException {
        if (e.method() != 0 && e.method() != 8) {
            throw new KerasImportException(what + ": uses compression method " + e.method() + "; a .keras zip is"
                    + " stored or deflated");
        }
        limits.check(limit, e.size(), what);
        limits.check(Limit.MAX_ZIP_ENTRY_BYTES, e.size(), what);
        if (e.method() == 0 && e.compressedSize() != e.size()) {
            throw new KerasImportException(what + ": is stored uncompressed but declares " + e.size() + " bytes in "
                    + e.compressedSize() + " (corrupt zip)");
        }
        if (e.compressedSize() > ch.size()) {
            throw new KerasImportException(what + ": declares " + e.compressedSize() + " compressed bytes, more than"
                    + " the whole " + ch.size() + "-byte file (truncated or forged zip)");
        }
        if (e.size() > Hdf5Data.RATIO_GRACE_BYTES
                && e.size() > e.compressedSize() * limits.get(Limit.MAX_COMPRESSION_RATIO)) {
            throw limits.exceeded(Limit.MAX_COMPRESSION_RATIO, e.size() / Math.max(1, e.compressedSize()), what
                    + " (declares " + e.size() + " bytes in " + e.compressedSize() + " compressed bytes)");
        }
    }

    /**
     * Inflates exactly the entry's declared size into {@code sink}, 64 KiB at a time: more is a zip bomb or a corrupt
     * entry, less a truncated one.
     */
    private static void inflate(FileChannel ch, long at, Entry e, Sink sink, String what) throws IOException {
        java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
        try {
            ByteBuffer in = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, e.compressedSize())));
            byte[] buf = new byte[(int) Math.min(64 * 1024, e.size() + 1)];
            long pos = at;
            long end = at + e.compressedSize();
            long n = 0;
            while (!inf.finished()) {
                if (inf.needsInput()) {
                    if (pos >= end) {
                        throw new KerasImportException(what + ": its compressed data ends early (truncated or corrupt"
                                + " zip)");
                    }
                    in.clear();
                    in.limit((int) Math.min(in.capacity(), end - pos));
                    int r = ch.read(in, pos);
                    if (r <= 0) {
                        throw new KerasImportException(what + ": its compressed data runs past the end of the file"
                                + " (truncated zip)");
                    }
                    pos += r;
                    in.flip();
                    inf.setInput(in);
                }
                int r = inf.inflate(buf);
                if (r == 0 && (inf.needsDictionary() || !inf.needsInput() && !inf.finished())) {
                    throw new KerasImportException(what + ": is not valid deflate data (corrupt zip)");
                }
                if (n + r > e.size()) {
                    throw new KerasImportException(what + ": inflates to more than its declared " + e.size()
                            + " bytes (corrupt zip or zip bomb)");
                }
                sink.write(buf, 0, r);
                n += r;
            }
            if (n != e.size()) {
                throw new KerasImportException(what + ": holds " + n + " bytes but declares " + e.size()
                        + " (truncated or corrupt zip)");
            }
        } catch (java.util.zip.DataFormatException ex) {
            throw new KerasImportException(what + ": is not valid deflate data (corrupt zip): " + ex.getMessage(), ex);
        } finally {
            inf.end();
        }
    }

    private static void verifyCrc(ByteBuffer data, Entry e, String what) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        if (crc.getValue() != e.crc()) {
            throw new KerasImportException(what + ": CRC-32 mismatch (the zip is corrupt)");
        }
    }

    private static void check(Entry e, Set<String> names, String file) {
        String n = e.name();
        if (!names.add(n)) {
            throw new KerasImportException(file + ": the zip holds two entries named " + Echo.of(n)
                    + "; which one is meant would be ambiguous, so the file is refused");
        }
        if (e.isSymlink()) {
            throw new KerasImportException(file + ": zip entry " + Echo.of(n) + " is a symbolic link; refused");
        }
        if ((e.flags() & 1) != 0) {
            throw new KerasImportException(file + ": zip entry " + Echo.of(n) + " is encrypted; refused");
        }
        if (n.startsWith("/") || n.startsWith("\\") || n.contains("\0") || n.matches("^[A-Za-z]:.*")
                || ("/" + n.replace('\\', '/') + "/").contains("/../")) {
            throw new KerasImportException(file + ": zip entry name " + Echo.of(n) + " is not a plain relative path"
                    + " (absolute, '..' or NUL); refused");
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.max(0, n)).order(ByteOrder.LITTLE_ENDIAN);
        long pos = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        b.flip();
        return b;
    }
}
