package io.reprise.search;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the value list of an IN clause. MLflow hands the parenthesized text to Python's
 * {@code ast.literal_eval}, so a list is a Python tuple literal: strings in either quote, with
 * Python escapes, adjacent strings concatenated, a trailing comma allowed. This reader covers
 * strings, numbers, None/True/False and nested tuples or lists: enough to accept what MLflow
 * accepts and to name, in Python's words, what it rejects.
 */
final class PyLiteral {

    /** An evaluated Python value; only strings matter, the rest is kept as its repr. */
    sealed interface Value {
        String repr();
    }

    record Str(String value) implements Value {
        @Override
        public String repr() {
            return PyRepr.str(value);
        }
    }

    record Tuple(List<Value> items) implements Value {
        @Override
        public String repr() {
            return PyRepr.tuple(items.stream().map(Value::repr).toList());
        }
    }

    record Other(String repr) implements Value {}

    /** The text is not a Python literal; MLflow reports it as an ill-formed list. */
    static final class IllFormed extends Exception {
        private static final long serialVersionUID = 1L;

        IllFormed() {
            super("ill-formed Python literal", null, false, false);
        }
    }

    private final String text;
    private int pos;

    private PyLiteral(String text) {
        this.text = text;
    }

    /** {@code literal_eval(text)} seen as a tuple, as MLflow does: a lone value is a 1-tuple. */
    static Tuple asTuple(String text) throws IllFormed {
        PyLiteral reader = new PyLiteral(text);
        Value v = reader.value();
        reader.skipBlanks();
        if (reader.pos != text.length()) {
            throw new IllFormed();
        }
        return v instanceof Tuple t ? t : new Tuple(List.of(v));
    }

    private Value value() throws IllFormed {
        skipBlanks();
        char c = peek();
        if (c == '(') {
            return parenthesized();
        }
        if (c == '[') {
            return new Other(
                    sequence(']').items().stream().map(Value::repr).toList().toString());
        }
        if (c == '-' || c == '+' || Character.isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c) || c == '\'' || c == '"') {
            return wordOrStrings();
        }
        throw new IllFormed();
    }

    /** {@code ( ... )}: a tuple when empty or when it has a comma, else just the inner value. */
    private Value parenthesized() throws IllFormed {
        Sequence seq = sequence(')');
        return seq.items().size() == 1 && !seq.hasComma() ? seq.items().getFirst() : new Tuple(seq.items());
    }

    private record Sequence(List<Value> items, boolean hasComma) {}

    private Sequence sequence(char close) throws IllFormed {
        pos++; // the opening bracket
        List<Value> items = new ArrayList<>();
        boolean comma = false;
        skipBlanks();
        while (peek() != close) {
            items.add(value());
            skipBlanks();
            if (peek() == ',') {
                comma = true;
                pos++;
                skipBlanks();
            } else if (peek() != close) {
                throw new IllFormed();
            }
        }
        pos++;
        return new Sequence(items, comma);
    }

    private Value number() throws IllFormed {
        boolean negative = false;
        while (peek() == '-' || peek() == '+') {
            negative ^= peek() == '-';
            pos++;
            skipBlanks();
        }
        int start = pos;
        while (pos < text.length() && isNumberChar(pos)) {
            pos++;
        }
        String literal = text.substring(start, pos).replace("_", "").toLowerCase(Locale.ROOT);
        return new Other(numberRepr(literal, negative));
    }

    private boolean isNumberChar(int i) {
        char c = text.charAt(i);
        boolean exponentSign = (c == '-' || c == '+') && i > 0 && "eE".indexOf(text.charAt(i - 1)) >= 0;
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign;
    }

    private static String numberRepr(String literal, boolean negative) throws IllFormed {
        try {
            BigInteger integer = integer(literal);
            if (integer != null) {
                return (negative ? integer.negate() : integer).toString();
            }
            if (literal.matches("(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
                double d = new BigDecimal(literal).doubleValue();
                return PyRepr.floating(negative ? -d : d);
            }
        } catch (NumberFormatException e) {
            throw new IllFormed();
        }
        throw new IllFormed();
    }

    private static BigInteger integer(String literal) {
        if (literal.matches("0x[0-9a-f]+")) {
            return new BigInteger(literal.substring(2), 16);
        } else if (literal.matches("0o[0-7]+")) {
            return new BigInteger(literal.substring(2), 8);
        } else if (literal.matches("0b[01]+")) {
            return new BigInteger(literal.substring(2), 2);
        } else if (literal.matches("0+|[1-9]\\d*")) {
            return new BigInteger(literal);
        }
        return null;
    }

    private Value wordOrStrings() throws IllFormed {
        String word = word();
        if (peek() != '\'' && peek() != '"') {
            return switch (word) {
                case "None", "True", "False" -> new Other(word);
                default -> throw new IllFormed();
            };
        }
        StringBuilder value = new StringBuilder();
        boolean bytes = isBytesPrefix(word);
        String prefix = word;
        do {
            if (isBytesPrefix(prefix) != bytes) {
                throw new IllFormed(); // Python cannot concatenate bytes and str literals
            }
            value.append(string(prefix.toLowerCase(Locale.ROOT).contains("r")));
            skipBlanks();
            int save = pos;
            prefix = word();
            if (peek() != '\'' && peek() != '"') {
                pos = save;
                break;
            }
        } while (true);
        String s = value.toString();
        return bytes ? new Other("b" + PyRepr.str(s)) : new Str(s);
    }

    private static boolean isBytesPrefix(String prefix) throws IllFormed {
        String p = prefix.toLowerCase(Locale.ROOT);
        if (!p.matches("|r|u|b|br|rb")) {
            throw new IllFormed(); // f-strings and unknown prefixes are not literals
        }
        return p.contains("b");
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** One quoted literal at {@code pos}, single or triple quoted, escapes applied unless raw. */
    private String string(boolean raw) throws IllFormed {
        char q = peek();
        String delimiter = text.startsWith(String.valueOf(q).repeat(3), pos)
                ? String.valueOf(q).repeat(3)
                : "" + q;
        pos += delimiter.length();
        StringBuilder out = new StringBuilder();
        while (!text.startsWith(delimiter, pos)) {
            if (pos >= text.length() || (delimiter.length() == 1 && peek() == '\n')) {
                throw new IllFormed();
            }
            if (peek() == '\\' && pos + 1 < text.length()) {
                pos += raw ? appendRaw(out) : PyEscapes.append(text, pos, out);
            } else {
                out.append(peek());
                pos++;
            }
        }
        pos += delimiter.length();
        return out.toString();
    }

    // In a raw string a backslash stays, but it still keeps the next character from closing it.
    private int appendRaw(StringBuilder out) {
        out.append(text, pos, pos + 2);
        return 2;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }
}
