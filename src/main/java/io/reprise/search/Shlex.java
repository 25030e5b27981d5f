package io.reprise.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Python's {@code shlex.split} (POSIX mode), which MLflow uses to split an order_by clause. */
final class Shlex {
    private Shlex() {}

    /** The words, or empty when Python would raise (an unclosed quote, a trailing backslash). */
    static Optional<List<String>> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                    word.append(s.charAt(++i));
                } else if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\') {
                    if (++i >= s.length()) {
                        return Optional.empty();
                    }
                    word.append(s.charAt(i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            return Optional.empty();
        }
        if (word != null) {
            words.add(word.toString());
        }
        return Optional.of(words);
    }
}
