package org.jkeras.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * "Did you mean": names the command line's first unknown word and the known options or commands
 * closest to it, so a typo ({@code --modle}, {@code predcit}) is reported as what it is rather than
 * as a missing required option.
 */
final class Suggest {
    /** Largest edit distance still suggested: catches swapped or dropped letters, not other words. */
    private static final int MAX_DISTANCE = 2;

    private Suggest() {
    }

    /** The message for the parse's unknown words, or null when every word was understood. */
    static String unknown(CommandLine cl) {
        List<String> unmatched = cl.getUnmatchedArguments();
        if (unmatched.isEmpty()) {
            return null;
        }
        // a word where a command was expected comes first; otherwise the first unknown option
        String word = !cl.getSubcommands().isEmpty() && !unmatched.get(0).startsWith("-") ? unmatched.get(0)
                : unmatched.stream().filter(w -> w.startsWith("-")).findFirst().orElse(unmatched.get(0));
        boolean option = word.startsWith("-");
        String bare = option && word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        List<String> known = new ArrayList<>();
        if (option) {
            for (OptionSpec o : cl.getCommandSpec().options()) {
                known.addAll(List.of(o.names()));
            }
        } else {
            known.addAll(cl.getSubcommands().keySet());
        }
        List<String> close = new ArrayList<>();
        for (String k : known) {
            if (distance(bare, k) <= MAX_DISTANCE && !close.contains(k)) {
                close.add(k);
            }
        }
        String what = option ? "unknown option '" + bare + "'"
                : cl.getSubcommands().isEmpty() ? "unexpected argument '" + bare + "'" : "unknown command '" + bare + "'";
        return close.isEmpty() ? what : what + " (did you mean " + String.join(" or ", close) + "?)";
    }

    /** Levenshtein distance, with a swap of two neighbouring letters counting as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
