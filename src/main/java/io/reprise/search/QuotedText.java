package io.reprise.search;

/**
 * Finds where a quoted token ends, as sqlparse's backtracking regexes would, in linear time.
 *
 * <p>A quoted text {@code q(qq|\q|[^q])*q} ends at the last quote such that every run of quotes
 * before it is either of even length (doubled quotes) or follows a backslash. Regex engines find
 * the same match but recurse once per character, which overflows the stack on long values.
 */
final class QuotedText {
    private QuotedText() {}

    /** The end (exclusive) of the single- or double-quoted text opening at {@code start}, or -1. */
    static int endOfQuoted(String text, int start) {
        return end(text, start, true);
    }

    /** The end (exclusive) of the backtick-quoted name opening at {@code start}, or -1. */
    static int endOfBackticked(String text, int start) {
        return end(text, start, false);
    }

    private static int end(String text, int start, boolean backslashEscapes) {
        char quote = text.charAt(start);
        int best = -1;
        int run = 0;
        boolean runFollowsBackslash = false;
        for (int k = start + 1; k < text.length(); k++) {
            if (text.charAt(k) == quote) {
                if (runIsValid(run, runFollowsBackslash)) {
                    best = k + 1;
                }
                if (run == 0) {
                    runFollowsBackslash = backslashEscapes && k - 1 > start && text.charAt(k - 1) == '\\';
                }
                run++;
            } else if (run > 0) {
                if (!runIsValid(run, runFollowsBackslash)) {
                    return best;
                }
                run = 0;
            }
        }
        return best;
    }

    private static boolean runIsValid(int run, boolean followsBackslash) {
        return run % 2 == 0 || followsBackslash;
    }
}
