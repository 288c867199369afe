package org.jkeras.keras;

/**
 * Bounded echoes of text read from a model file (names, values, paths) for error messages: a file is untrusted,
 * and a 50 MB layer name must not become a 50 MB error line.
 */
public final class Echo {
    /** Characters of one echoed value kept. */
    public static final int MAX_CHARS = 200;
    /** Characters of one whole error message kept. */
    public static final int MAX_MESSAGE_CHARS = 4000;

    private Echo() {
    }

    /**
     * {@code s}, or its head with how long it was when it is longer than {@link #MAX_CHARS}.
     *
     * @param s the text, may be null
     * @return {@code s} itself if at most {@link #MAX_CHARS} long (null stays null), else a shortened copy
     */
    public static String of(String s) {
        return cut(s, MAX_CHARS);
    }

    /**
     * {@code s} cut to {@code max} characters, saying how long it was.
     *
     * @param s the text, may be null
     * @param max the longest result kept unchanged, in chars; a longer {@code s} becomes its first {@code max - 40}
     *            chars and its length
     * @return {@code s} itself when short enough (null stays null), else the shortened copy
     */
    public static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int keep = Math.max(0, max - 40);
        if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--;
        }
        return s.substring(0, keep) + "...(" + s.length() + " characters)";
    }

    /**
     * {@code String.valueOf(o)} bounded.
     *
     * @param o any value, may be null
     * @return its string form, bounded as {@link #of(String)} bounds it
     */
    public static String of(Object o) {
        return of(String.valueOf(o));
    }
}
