package io.reprise.search;

import java.util.Locale;

/** One lexical token of a filter or order_by string, keeping its exact source text for messages. */
record Token(Kind kind, String text) {

    /** Token classes, named after the sqlparse token types MLflow's checks look at. */
    enum Kind {
        WHITESPACE,
        COMMENT,
        /** A bare word that is not a keyword, or a backtick-quoted name. */
        NAME,
        /** A double-quoted name ({@code "a b"}); sqlparse calls it String.Symbol. */
        SYMBOL,
        /** A single-quoted string literal. */
        STRING,
        INTEGER,
        FLOAT,
        KEYWORD,
        /** ASC or DESC, possibly with NULLS FIRST/LAST. */
        ORDER,
        /** {@code = != < <= > >= <> ==}, LIKE, ILIKE, NOT LIKE... */
        COMPARISON,
        /** Arithmetic and other operators, which MLflow never accepts. */
        OPERATOR,
        PUNCTUATION,
        /** Anything else: hexadecimal numbers, placeholders, a lone quote. */
        OTHER
    }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isKeyword(String word) {
        return kind == Kind.KEYWORD && text.toUpperCase(Locale.ROOT).equals(word);
    }

    boolean isPunctuation(String p) {
        return kind == Kind.PUNCTUATION && text.equals(p);
    }

    boolean isNumber() {
        return kind == Kind.INTEGER || kind == Kind.FLOAT;
    }
}
