package io.reprise.search;

import io.reprise.search.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a filter or order_by string into tokens the way sqlparse's lexer does for the subset
 * that matters to MLflow's checks: the same rules in the same order, so that a word, a number or
 * a quoted text comes out with the class MLflow's error messages depend on.
 */
final class Lexer {
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

    /** A sqlparse lexer rule; {@code kind} is null for words, classed by the keyword table. */
    private record Rule(Pattern pattern, Kind kind) {
        Kind kindOf(String text) {
            if (kind != null) {
                return kind;
            }
            return KEYWORDS.contains(text.toUpperCase(Locale.ROOT)) ? Kind.KEYWORD : Kind.NAME;
        }
    }

    // sqlparse's SQL_REGEX, in its order, minus the rules for statements MLflow never sees.
    private static final List<Rule> RULES = List.of(
            rule(":=", Kind.OPERATOR),
            rule("::", Kind.PUNCTUATION),
            rule("\\*", Kind.OPERATOR),
            rule("\\?", Kind.OTHER),
            rule("%(\\(\\w+\\))?s", Kind.OTHER),
            rule("(?<!\\w)[$:?]\\w+", Kind.OTHER),
            rule("\\\\\\w+", Kind.OTHER),
            rule("(CASE|IN|VALUES|USING|FROM|AS)\\b", Kind.KEYWORD),
            rule("(@|##|#)[A-ZÀ-Ü]\\w+", Kind.NAME),
            rule("[A-ZÀ-Ü]\\w*(?=\\s*\\.(?!\\d))", Kind.NAME),
            rule("(?<=\\.)[A-ZÀ-Ü]\\w*", Kind.NAME),
            rule("[A-ZÀ-Ü]\\w*(?=\\()", Kind.NAME),
            rule("-?0x[\\dA-F]+", Kind.OTHER),
            rule("-?\\d+(\\.\\d+)?E-?\\d+", Kind.FLOAT),
            rule("(?![_A-ZÀ-Ü])-?(\\d+(\\.\\d*)|\\.\\d+)(?![_A-ZÀ-Ü])", Kind.FLOAT),
            rule("(?![_A-ZÀ-Ü])-?\\d+(?![_A-ZÀ-Ü])", Kind.INTEGER),
            rule("(?<![\\w\\])])(\\[[^\\]\\[]+\\])", Kind.NAME),
            rule("NOT\\s+NULL\\b", Kind.KEYWORD),
            rule("(ASC|DESC)(\\s+NULLS\\s+(FIRST|LAST))?\\b", Kind.ORDER),
            rule("NULLS\\s+(FIRST|LAST)\\b", Kind.ORDER),
            rule("(NOT\\s+)?(LIKE|ILIKE|RLIKE)\\b", Kind.COMPARISON),
            rule("(NOT\\s+)?(REGEXP)(\\s+(BINARY))?\\b", Kind.COMPARISON),
            rule("\\w[$#\\w]*", null),
            rule("[;:()\\[\\],.]", Kind.PUNCTUATION),
            rule("(->>?|#>>?|@>|<@|\\?\\|?|\\?&|-|#-)", Kind.OPERATOR),
            rule("[<>=~!]+", Kind.COMPARISON),
            rule("[+/@#%^&|-]+", Kind.OPERATOR));

    // sqlparse knows hundreds of keywords; these are the ones a search filter plausibly contains.
    // A word outside this set is a name, which only changes which error message a bad filter gets.
    private static final Set<String> KEYWORDS = Set.of(
            "AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE", "BETWEEN", "EXISTS", "SELECT", "WHERE", "KEY", "TABLE");

    private static final Pattern LINE_COMMENT = Pattern.compile("(--|# ).*?(\\r\\n|\\r|\\n|$)", Pattern.DOTALL);

    private final String text;
    private final List<Matcher> matchers = new ArrayList<>();

    private Lexer(String text) {
        this.text = text;
        for (Rule r : RULES) {
            matchers.add(r.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false));
        }
    }

    static List<Token> tokenize(String text) {
        return new Lexer(text).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            Token t = next(pos);
            tokens.add(t);
            pos += t.text().length();
        }
        return tokens;
    }

    private Token next(int pos) {
        char c = text.charAt(pos);
        Matcher comment = LINE_COMMENT.matcher(text).region(pos, text.length());
        if (comment.lookingAt()) {
            return new Token(Kind.COMMENT, comment.group());
        }
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            return new Token(Kind.WHITESPACE, String.valueOf(c));
        }
        Token quoted = quoted(pos, c);
        if (quoted != null) {
            return quoted;
        }
        if (text.startsWith("/*", pos) && text.indexOf("*/", pos + 2) >= 0) {
            return new Token(Kind.COMMENT, text.substring(pos, text.indexOf("*/", pos + 2) + 2));
        }
        for (int i = 0; i < RULES.size(); i++) {
            Matcher m = matchers.get(i).region(pos, text.length());
            if (m.lookingAt() && m.end() > pos) {
                return new Token(RULES.get(i).kindOf(m.group()), m.group());
            }
        }
        return new Token(Kind.OTHER, String.valueOf(c));
    }

    private Token quoted(int pos, char c) {
        Kind kind = switch (c) {
            case '`' -> Kind.NAME;
            case '\'' -> Kind.STRING;
            case '"' -> Kind.SYMBOL;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        int end = c == '`' ? QuotedText.endOfBackticked(text, pos) : QuotedText.endOfQuoted(text, pos);
        return end < 0 ? null : new Token(kind, text.substring(pos, end));
    }

    private static Rule rule(String regex, Kind kind) {
        return new Rule(Pattern.compile(regex, FLAGS), kind);
    }
}
