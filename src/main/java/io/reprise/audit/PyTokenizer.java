package io.reprise.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits Python source into tokens following the language's lexical rules (Python 3.12): comments,
 * string prefixes, triple quotes, f-strings whose replacement fields hold nested strings, implicit
 * line joining inside brackets and backslash continuation. Indentation is not reported: the
 * analysis needs logical lines, not blocks.
 */
final class PyTokenizer {
    enum Kind {
        NAME,
        NUMBER,
        STRING,
        OP,
        /** The end of a logical line. */
        NEWLINE
    }

    /**
     * A token.
     *
     * @param value for strings, the text between the quotes (escapes left as written)
     * @param formatted an f-string (or t-string) with at least one replacement field: not a constant
     */
    record Token(Kind kind, String text, int line, int column, String value, boolean formatted) {
        boolean is(String op) {
            return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
        }
    }

    /** Source that is not valid Python at the lexical level. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private static final String[] OPERATORS = {
        "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=",
        "/=", "%=", "&=", "|=", "^=", "@=", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "+", "-", "*", "/", "%",
        "&", "|", "^", "~", "<", ">", "=", "@", "!"
    };
    private static final Set<String> PREFIXES = Set.of("r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt");

    private final String src;
    private final int[] lineStarts;
    /** Where tokens go: the file's, or while in an f-string replacement field, that field's. */
    private List<Token> out = new ArrayList<>();
    /** The tokens of every replacement field, each field's ended by a NEWLINE. */
    private final List<Token> fields = new ArrayList<>();

    private final List<Integer> openers = new ArrayList<>(); // positions of open brackets
    private int pos;
    private int line = 1;
    private int lineStart;

    private PyTokenizer(String src) {
        this.src = src;
        this.lineStarts = lineStarts(src);
    }

    /**
     * A file's tokens.
     *
     * @param tokens the file's tokens, each logical line ended by a NEWLINE token; an f-string is one
     *     STRING token
     * @param fields the expressions in f-string replacement fields, each ended by a NEWLINE token
     */
    record Lexed(List<Token> tokens, List<Token> fields) {}

    /** The tokens of {@code source}, each logical line ended by a NEWLINE token. */
    static List<Token> tokenize(String source) {
        return lex(source).tokens();
    }

    /** The tokens of {@code source} and of the expressions inside its f-strings. */
    static Lexed lex(String source) {
        PyTokenizer t = new PyTokenizer(source.startsWith("\uFEFF") ? source.substring(1) : source);
        t.run();
        return new Lexed(t.out, t.fields);
    }

    private void run() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '#') {
                skipComment();
            } else if (c == '\\' && isNewlineAt(pos + 1)) {
                pos++;
                newline(); // backslash continuation: the logical line goes on
            } else if (c == '\\' && pos + 1 == src.length()) {
                throw new SyntaxError(line, "unexpected end of file after a line continuation");
            } else if (c == '\n' || c == '\r') {
                if (openers.isEmpty()) {
                    endLogicalLine();
                }
                newline();
            } else {
                token(c);
            }
        }
        if (!openers.isEmpty()) {
            int open = openers.get(openers.size() - 1);
            throw new SyntaxError(lineOf(open), "'" + src.charAt(open) + "' was never closed");
        }
        endLogicalLine();
    }

    private void endLogicalLine() {
        if (!out.isEmpty() && out.get(out.size() - 1).kind() != Kind.NEWLINE) {
            out.add(new Token(Kind.NEWLINE, "", line, pos - lineStart + 1, null, false));
        }
    }

    private boolean isNewlineAt(int p) {
        return p < src.length() && (src.charAt(p) == '\n' || src.charAt(p) == '\r');
    }

    /** Consumes one line break (\n, \r\n or \r) at pos. */
    private void newline() {
        if (src.charAt(pos) == '\r' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
            pos++;
        }
        pos++;
        line++;
        lineStart = pos;
    }

    private void skipComment() {
        while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
            pos++;
        }
    }

    private static boolean isIdentifierStart(char c) {
        return c == '_' || Character.isLetter(c) || (c > 127 && Character.isUnicodeIdentifierStart(c));
    }

    private static boolean isIdentifierPart(char c) {
        return c == '_' || Character.isLetterOrDigit(c) || (c > 127 && Character.isUnicodeIdentifierPart(c));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void name() {
        int start = pos;
        while (pos < src.length() && isIdentifierPart(src.charAt(pos))) {
            pos++;
        }
        String word = src.substring(start, pos);
        if (pos < src.length()
                && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')
                && PREFIXES.contains(word.toLowerCase(java.util.Locale.ROOT))) {
            string(start, word.toLowerCase(java.util.Locale.ROOT));
            return;
        }
        add(Kind.NAME, start, null, false);
    }

    private void number() {
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            char prev = src.charAt(pos - (pos > start ? 1 : 0));
            boolean hex = src.startsWith("0x", start) || src.startsWith("0X", start);
            if (isIdentifierPart(c) || c == '.') {
                pos++;
            } else if ((c == '+' || c == '-') && (prev == 'e' || prev == 'E') && !hex && pos > start) {
                pos++; // exponent sign: 1e-5
            } else {
                break;
            }
        }
        add(Kind.NUMBER, start, null, false);
    }

    private void operator() {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                int start = pos;
                pos += op.length();
                bracket(op, start);
                add(Kind.OP, start, null, false);
                return;
            }
        }
        throw new SyntaxError(line, "invalid character '" + src.charAt(pos) + "'");
    }

    private void bracket(String op, int at) {
        switch (op) {
            case "(", "[", "{" -> openers.add(at);
            case ")", "]", "}" -> {
                if (openers.isEmpty()) {
                    throw new SyntaxError(line, "unmatched '" + op + "'");
                }
                char open = src.charAt(openers.removeLast());
                if ("([{".indexOf(open) != ")]}".indexOf(op.charAt(0))) {
                    throw new SyntaxError(line, "closing '" + op + "' does not match '" + open + "'");
                }
            }
            default -> {}
        }
    }

    private void add(Kind kind, int start, String value, boolean formatted) {
        out.add(new Token(
                kind, src.substring(start, pos), lineOf(start), start - startOfLine(start) + 1, value, formatted));
    }

    /** A string literal starting at {@code start} (its prefix, if any, included); pos is at the quote. */
    private void string(int start, String prefix) {
        int startLine = lineOf(start);
        boolean formatted = prefix.contains("f") || prefix.contains("t");
        char quote = src.charAt(pos);
        boolean triple = src.startsWith(String.valueOf(quote).repeat(3), pos);
        int q = triple ? 3 : 1;
        pos += q;
        int bodyStart = pos;
        boolean fields = false;
        while (true) {
            if (pos >= src.length()) {
                throw new SyntaxError(
                        startLine, triple ? "unterminated triple-quoted string" : "unterminated string literal");
            }
            char c = src.charAt(pos);
            if (c == '\\' && pos + 1 < src.length()) {
                if (isNewlineAt(pos + 1)) {
                    pos++;
                    newline();
                } else if (formatted && (src.charAt(pos + 1) == '{' || src.charAt(pos + 1) == '}')) {
                    pos++; // a backslash does not escape f-string braces: rf'\{{' is a literal brace
                } else {
                    pos += 2;
                }
            } else if (c == quote
                    && (!triple || src.startsWith(String.valueOf(quote).repeat(3), pos))) {
                break;
            } else if (c == '\n' || c == '\r') {
                if (!triple) {
                    throw new SyntaxError(startLine, "unterminated string literal");
                }
                newline();
            } else if (formatted && c == '{') {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
                    pos += 2;
                } else {
                    fields = true;
                    replacementField();
                }
            } else {
                pos++;
            }
        }
        String body = src.substring(bodyStart, pos);
        pos += q;
        out.add(new Token(
                Kind.STRING, src.substring(start, pos), startLine, start - startOfLine(start) + 1, body, fields));
    }

    /**
     * An f-string replacement field, pos at its '{': the expression is tokenized as code (it may hold
     * brackets, nested strings of any quote since 3.12, comments and line breaks) into {@link #fields},
     * then come an optional '=' (self-documenting), !conversion and :format spec that may itself hold
     * nested fields.
     */
    /** Whitespace inside a line, or the token that starts with {@code c}: code and f-string fields alike. */
    private void token(char c) {
        if (c == ' ' || c == '\t' || c == '\f') {
            pos++;
        } else if (isIdentifierStart(c)) {
            name();
        } else if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
            number();
        } else if (c == '"' || c == '\'') {
            string(pos, "");
        } else {
            operator();
        }
    }

    private void replacementField() {
        int open = pos;
        pos++;
        List<Token> enclosing = out;
        out = new ArrayList<>();
        int base = openers.size();
        boolean done = false;
        while (!done) {
            if (pos >= src.length()) {
                throw new SyntaxError(lineOf(open), "f-string: expecting '}'");
            }
            char c = src.charAt(pos);
            boolean top = openers.size() == base;
            if (top && (c == '}' || c == ':' || (c == '!' && !src.startsWith("!=", pos)))) {
                fieldEnd(open);
                done = true;
            } else if (top && c == '=' && !src.startsWith("==", pos)) {
                pos++; // f"{x=}": shows the expression's text too
            } else if (c == '#') {
                skipComment();
            } else if (c == '\\' && isNewlineAt(pos + 1)) {
                pos++;
                newline();
            } else if (c == '\n' || c == '\r') {
                newline();
            } else {
                token(c);
            }
        }
        if (!out.isEmpty()) {
            Token last = out.get(out.size() - 1);
            fields.addAll(out);
            fields.add(new Token(Kind.NEWLINE, "", last.line(), last.column(), null, false));
        }
        out = enclosing;
    }

    /** After a field's expression, pos at '}', ':' or '!': the conversion, format spec and closing brace. */
    private void fieldEnd(int open) {
        if (src.charAt(pos) == '!') {
            pos++;
            while (pos < src.length() && isIdentifierPart(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && src.charAt(pos) == ':') {
            formatSpec(open);
        } else if (pos < src.length() && src.charAt(pos) == '}') {
            pos++;
        } else {
            throw new SyntaxError(lineOf(open), "f-string: expecting '}'");
        }
    }

    /** The format spec after ':' up to the field's closing '}', with nested fields. */
    private void formatSpec(int open) {
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw new SyntaxError(lineOf(open), "f-string: expecting '}'");
            }
            char c = src.charAt(pos);
            if (c == '{') {
                replacementField();
            } else if (c == '}') {
                pos++;
                return;
            } else if (c == '\n' || c == '\r') {
                newline();
            } else {
                pos++;
            }
        }
    }

    private int lineOf(int p) {
        int i = java.util.Arrays.binarySearch(lineStarts, p);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private int startOfLine(int p) {
        return lineStarts[lineOf(p) - 1];
    }

    /** Offsets where each physical line starts (\n, \r\n and \r end lines, as in Python). */
    private static int[] lineStarts(String s) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
