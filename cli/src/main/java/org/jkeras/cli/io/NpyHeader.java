package org.jkeras.cli.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed dictionary of a {@code .npy} header, e.g.
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}.
 *
 * <p>The header is a Python literal written by NumPy; this parser accepts exactly the subset
 * NumPy writes (string, boolean and tuple-of-int values) and refuses everything else, so a
 * crafted header cannot smuggle anything past it.
 *
 * @param descr        the dtype, e.g. {@code <f4}
 * @param fortranOrder true when the data is stored column-major
 * @param shape        the dimensions (empty for a scalar)
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    /** Parses the header text of file {@code name}. */
    static NpyHeader parse(String text, String name) throws NpyFormatException {
        Map<String, Object> dict = new Parser(text, name).dict();
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shape = dict.get("shape");
        if (!(descr instanceof String d)) {
            throw new NpyFormatException(name + ": header has no string 'descr' (structured dtypes are not supported): "
                    + abbreviate(text));
        }
        if (!(fortran instanceof Boolean f)) {
            throw new NpyFormatException(name + ": header has no boolean 'fortran_order': " + abbreviate(text));
        }
        if (!(shape instanceof long[] s)) {
            throw new NpyFormatException(name + ": header has no tuple 'shape': " + abbreviate(text));
        }
        return new NpyHeader(d, f, s);
    }

    private static String abbreviate(String text) {
        String t = text.strip();
        return t.length() > 120 ? t.substring(0, 120) + "..." : t;
    }

    /** A recursive-descent parser for the dictionary literal. */
    private static final class Parser {
        private final String s;
        private final String name;
        private int pos;

        Parser(String s, String name) {
            this.s = s;
            this.name = name;
        }

        Map<String, Object> dict() throws NpyFormatException {
            Map<String, Object> map = new LinkedHashMap<>();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                expect(':');
                Object value = value();
                if (map.put(key, value) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after the dictionary");
            }
            return map;
        }

        private Object value() throws NpyFormatException {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("unsupported value (only strings, True/False and tuples of integers are accepted)");
        }

        private long[] tuple() throws NpyFormatException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                dims.add(integer());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape");
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private long integer() throws NpyFormatException {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && pos - start < 18) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a non-negative integer in the shape");
            }
            if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                throw error("dimension too large");
            }
            return Long.parseLong(s.substring(start, pos));
        }

        private String string() throws NpyFormatException {
            skipSpace();
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = s.substring(pos + 1, end);
            if (value.indexOf('\\') >= 0) {
                throw error("escapes in strings are not supported");
            }
            pos = end + 1;
            return value;
        }

        private void expect(char c) throws NpyFormatException {
            skipSpace();
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() throws NpyFormatException {
            if (pos >= s.length()) {
                throw error("header ends early");
            }
            return s.charAt(pos);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException(name + ": malformed .npy header at character " + pos + ": " + what
                    + ": " + abbreviate(s));
        }
    }
}
