package org.jkeras.keras.format;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.links.ExternalLink;
import io.jhdf.links.SoftLink;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jkeras.keras.Echo;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.Limit;
import org.jkeras.keras.Limits;

/**
 * Walks the groups of one open HDF5 file without ever leaving it. jHDF follows links itself, which a model file
 * must not be able to steer: an external link would make jkeras open another file on disk, and a soft-link cycle
 * recurses until the stack overflows. Here no link is followed: external and soft links are refused wherever they
 * are met, as Keras 3 refuses them ({@code saving_lib.safe_get_h5_dataset}), and every object looked at counts
 * against {@link Limit#MAX_HDF5_OBJECTS}; hard links (an object under several names, possibly a group inside
 * itself) are bounded by that count and by {@link Limit#MAX_NESTING_DEPTH}. Also keeps the running total of weight
 * bytes read from the file ({@link Limit#MAX_WEIGHT_BYTES}). One per opened file; not thread-safe.
 */
final class Hdf5Tree {
    private final HdfFile file;
    private final String name;
    private final Limits limits;
    private long objects;
    private long weightBytes;

    /**
     * @param name how errors name the file, e.g. {@code "model.keras: model.weights.h5"}
     */
    Hdf5Tree(HdfFile file, String name, Limits limits) {
        this.file = file;
        this.name = name;
        this.limits = limits;
    }

    HdfFile file() {
        return file;
    }

    String name() {
        return name;
    }

    Limits limits() {
        return limits;
    }

    /** Size of the HDF5 image in bytes (no dataset can hold more stored bytes). */
    long fileSize() {
        return file.size();
    }

    /**
     * The child {@code child} of {@code group}, links resolved, or null when there is none.
     *
     * @param where names the group in errors, e.g. {@code "model.h5: /model_weights"}
     */
    Node child(Group group, String child, String where) {
        Node n = children(group, where).get(child);
        return n == null ? null : resolve(n, where + "/" + child);
    }

    /** The child group {@code child} of {@code group}, or null when there is none or it is not a group. */
    Group childGroup(Group group, String child, String where) {
        return child(group, child, where) instanceof Group g ? g : null;
    }

    /**
     * The object at a relative path ({@code a/b/c}) below {@code from}, each step's links resolved; null when a
     * step does not exist.
     */
    Node path(Group from, String path, String where) {
        return walk(from, path, where);
    }

    /**
     * The children of a group by name, in the file's order, each link resolved (so a returned node is a group, a
     * dataset or a named datatype, never a link).
     */
    Map<String, Node> resolvedChildren(Group group, String where) {
        Map<String, Node> raw = children(group, where);
        count(raw.size(), where);
        Map<String, Node> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : raw.entrySet()) {
            out.put(e.getKey(), resolve(e.getValue(), where + "/" + e.getKey()));
        }
        return out;
    }

    /** Adds {@code bytes} of float32 weights read, failing past {@link Limit#MAX_WEIGHT_BYTES}. */
    void addWeightBytes(long bytes, String where) {
        weightBytes += bytes;
        limits.check(Limit.MAX_WEIGHT_BYTES, weightBytes, where);
    }

    /** Counts {@code n} more objects looked at, failing past {@link Limit#MAX_HDF5_OBJECTS}. */
    void count(long n, String where) {
        objects += n;
        limits.check(Limit.MAX_HDF5_OBJECTS, objects, name + " (at " + Echo.of(where) + ")");
    }

    private Map<String, Node> children(Group group, String where) {
        try {
            return group.getChildren();
        } catch (KerasImportException e) {
            throw e;
        } catch (RuntimeException e) {
            if (String.valueOf(causes(e)).contains("External Data Files")) {
                throw new KerasImportException(Echo.of(where) + ": holds a dataset whose values are stored in"
                        + " external files; a model file must not make jkeras read another file, so it is refused,"
                        + " as Keras refuses it", e);
            }
            if (String.valueOf(causes(e)).contains("Virtual storage")) {
                throw new KerasImportException(Echo.of(where) + ": holds a virtual dataset (values mapped from other"
                        + " datasets or files); refused, as Keras refuses it", e);
            }
            throw new KerasImportException(Echo.of(where) + ": cannot read the HDF5 group (truncated or corrupt"
                    + " file?): " + e.getMessage(), e);
        }
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 10_000; t = t.getCause()) {
            b.append(t.getMessage()).append(" / ");
        }
        return b.toString();
    }

    private Node walk(Group from, String path, String where) {
        Node at = from;
        for (String step : path.split("/", -1)) {
            if (step.isEmpty() || step.equals(".")) {
                continue;
            }
            if (!(at instanceof Group g)) {
                return null;
            }
            Node n = children(g, where).get(step);
            if (n == null) {
                return null;
            }
            at = resolve(n, where);
        }
        return at;
    }

    /** The object a node stands for: itself, as no link is followed. */
    private Node resolve(Node n, String where) {
        if (n instanceof ExternalLink link) {
            throw new KerasImportException(Echo.of(where) + ": is an HDF5 external link to "
                    + Echo.of(link.getTargetPath()) + "; a model file must not make jkeras read another file, so"
                    + " external links are refused, as Keras refuses them (save the model again with its weights"
                    + " inside)");
        }
        if (n instanceof SoftLink link) {
            throw new KerasImportException(Echo.of(where) + ": is an HDF5 soft link (to "
                    + Echo.of(link.getTargetPath()) + "); Keras never writes links and refuses them (\"Not allowed:"
                    + " H5 file with SoftLink\"), so does jkeras: a link could point anywhere, or in a cycle");
        }
        if (n instanceof Link link) {
            throw new KerasImportException(Echo.of(where) + ": is an HDF5 link of an unsupported kind ("
                    + link.getClass().getSimpleName() + "), refused");
        }
        return n;
    }
}
