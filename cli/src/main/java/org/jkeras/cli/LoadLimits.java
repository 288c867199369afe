package org.jkeras.cli;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jkeras.keras.Limit;
import org.jkeras.keras.LoadOptions;

/** Turns {@code --limit NAME=N} flags into {@link LoadOptions}. */
final class LoadLimits {
    private LoadLimits() {
    }

    /** The names of every limit, for the help text. */
    static String keys() {
        StringJoiner j = new StringJoiner(", ");
        for (Limit l : Limit.values()) {
            j.add(l.key());
        }
        return j.toString();
    }

    /**
     * The options for the given flags.
     *
     * @throws CliException with {@link ExitCode#USAGE} naming the bad flag
     */
    static LoadOptions options(Map<String, String> flags) {
        return builder(flags).build();
    }

    /** A builder holding the given flags' limits. */
    static LoadOptions.Builder builder(Map<String, String> flags) {
        LoadOptions.Builder b = LoadOptions.builder();
        for (Map.Entry<String, String> e : flags.entrySet()) {
            Limit limit;
            try {
                limit = Limit.byKey(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new CliException(ExitCode.USAGE, "--limit: " + ex.getMessage());
            }
            b.limit(limit, count(e.getKey(), e.getValue()));
        }
        return b;
    }

    /** A count: digits (underscores allowed), optionally ending in k, m or g (times 1024, 1024^2, 1024^3). */
    static long count(String key, String value) {
        String v = value == null ? "" : value.strip().replace("_", "").toLowerCase(Locale.ROOT);
        long scale = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            scale = switch (v.charAt(v.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, scale);
        } catch (NumberFormatException | ArithmeticException ex) {
            throw new CliException(ExitCode.USAGE, "--limit " + Text.safe(key) + "=" + Text.safe(String.valueOf(value))
                    + ": expected a count such as 50000, 64m or 2g");
        }
    }
}
