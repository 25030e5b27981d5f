package io.reprise.search;

/** Python's backslash escapes in (non-raw) string literals. */
final class PyEscapes {
    private PyEscapes() {}

    /**
     * Appends what the escape at {@code text[pos]} (a backslash) stands for and returns how many
     * characters it spans.
     *
     * @throws PyLiteral.IllFormed for a truncated hexadecimal, Unicode or named escape
     */
    static int append(String text, int pos, StringBuilder out) throws PyLiteral.IllFormed {
        char c = text.charAt(pos + 1);
        String simple = simple(c);
        if (simple != null) {
            out.append(simple);
            return 2;
        }
        return switch (c) {
            case 'x' -> hex(text, pos, 2, out);
            case 'u' -> hex(text, pos, 4, out);
            case 'U' -> hex(text, pos, 8, out);
            case 'N' -> named(text, pos, out);
            default -> c >= '0' && c <= '7' ? octal(text, pos, out) : unknown(c, out);
        };
    }

    private static String simple(char c) {
        return switch (c) {
            case '\n' -> "";
            case '\\' -> "\\";
            case '\'' -> "'";
            case '"' -> "\"";
            case 'a' -> "\u0007";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'v' -> "\u000b";
            default -> null;
        };
    }

    // Python keeps an unknown escape as written (and warns).
    private static int unknown(char c, StringBuilder out) {
        out.append('\\').append(c);
        return 2;
    }

    private static int hex(String text, int pos, int digits, StringBuilder out) throws PyLiteral.IllFormed {
        int start = pos + 2;
        if (start + digits > text.length()
                || !text.substring(start, start + digits).matches("[0-9a-fA-F]+")) {
            throw new PyLiteral.IllFormed();
        }
        int cp = Integer.parseUnsignedInt(text.substring(start, start + digits), 16);
        if (!Character.isValidCodePoint(cp)) {
            throw new PyLiteral.IllFormed();
        }
        out.appendCodePoint(cp);
        return 2 + digits;
    }

    private static int octal(String text, int pos, StringBuilder out) {
        int end = pos + 1;
        while (end < text.length() && end < pos + 4 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
            end++;
        }
        out.appendCodePoint(Integer.parseInt(text.substring(pos + 1, end), 8));
        return end - pos;
    }

    private static int named(String text, int pos, StringBuilder out) throws PyLiteral.IllFormed {
        int close = text.indexOf('}', pos);
        if (pos + 2 >= text.length() || text.charAt(pos + 2) != '{' || close < 0) {
            throw new PyLiteral.IllFormed();
        }
        try {
            out.appendCodePoint(Character.codePointOf(text.substring(pos + 3, close)));
        } catch (IllegalArgumentException e) {
            throw new PyLiteral.IllFormed();
        }
        return close + 1 - pos;
    }
}
