package io.reprise.data;

/** ruamel.yaml's scalar analysis: which quoting styles a string allows (Emitter.analyze_scalar). */
final class YamlScalars {
    private static final String SPACE_OR_BREAK = "\0 \t\r\n\u0085\u2028\u2029";

    record Analysis(
            boolean empty,
            boolean multiline,
            boolean allowFlowPlain,
            boolean allowBlockPlain,
            boolean allowSingleQuoted,
            boolean allowDoubleQuoted) {}

    private YamlScalars() {}

    static boolean isBreak(int ch) {
        return ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
    }

    private static boolean isSpaceOrBreak(int ch) {
        return ch >= 0 && ch <= 0xFFFF && SPACE_OR_BREAK.indexOf(ch) >= 0;
    }

    private static boolean printableUnicode(int ch) {
        return ((ch >= 0xA0 && ch <= 0xD7FF) || (ch >= 0xE000 && ch <= 0xFFFD) || (ch >= 0x10000 && ch <= 0x10FFFF))
                && ch != 0xFEFF;
    }

    /** Characters a double-quoted scalar escapes. */
    static boolean needsEscape(int ch) {
        return ch == '"'
                || ch == '\\'
                || ch == 0x85
                || ch == 0x2028
                || ch == 0x2029
                || ch == 0xFEFF
                || !((ch >= 0x20 && ch <= 0x7E) || printableUnicode(ch));
    }

    static String escape(int ch) {
        return switch (ch) {
            case 0 -> "\\0";
            case 0x07 -> "\\a";
            case 0x08 -> "\\b";
            case 0x09 -> "\\t";
            case 0x0A -> "\\n";
            case 0x0B -> "\\v";
            case 0x0C -> "\\f";
            case 0x0D -> "\\r";
            case 0x1B -> "\\e";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case 0x85 -> "\\N";
            case 0xA0 -> "\\_";
            case 0x2028 -> "\\L";
            case 0x2029 -> "\\P";
            default ->
                ch <= 0xFF
                        ? String.format("\\x%02X", ch)
                        : ch <= 0xFFFF ? String.format("\\u%04X", ch) : String.format("\\U%08X", ch);
        };
    }

    static Analysis analyze(String value) {
        if (value.isEmpty()) {
            return new Analysis(true, false, false, true, true, true);
        }
        int[] s = value.codePoints().toArray();
        Flags f = new Flags();
        if (value.startsWith("---") || value.startsWith("...")) {
            f.blockIndicators = true;
            f.flowIndicators = true;
        }
        boolean precededByWhitespace = true;
        boolean followedByWhitespace = s.length == 1 || isSpaceOrBreak(s[1]);
        for (int index = 0; index < s.length; index++) {
            int ch = s[index];
            indicators(f, s, index, ch, precededByWhitespace, followedByWhitespace);
            if (isBreak(ch)) {
                f.lineBreaks = true;
            }
            if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7E)) && !(ch == 0x85 || printableUnicode(ch))) {
                f.specialCharacters = true;
            }
            whitespace(f, s, index, ch);
            precededByWhitespace = isSpaceOrBreak(ch);
            followedByWhitespace = index + 2 >= s.length || isSpaceOrBreak(s[index + 2]);
        }
        return f.decide();
    }

    private static void indicators(Flags f, int[] s, int index, int ch, boolean preceded, boolean followed) {
        if (index == 0) {
            if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) {
                f.flowIndicators = true;
                f.blockIndicators = true;
            }
            if (ch == '?' || ch == ':') {
                if (s.length == 1) {
                    f.flowIndicators = true;
                }
                if (followed) {
                    f.blockIndicators = true;
                }
            }
            if (ch == '-' && followed) {
                f.flowIndicators = true;
                f.blockIndicators = true;
            }
        } else {
            if (",[]{}".indexOf(ch) >= 0) {
                f.flowIndicators = true;
            }
            if (ch == ':' && followed) {
                f.flowIndicators = true;
                f.blockIndicators = true;
            }
            if (ch == '#' && preceded) {
                f.flowIndicators = true;
                f.blockIndicators = true;
            }
        }
    }

    private static void whitespace(Flags f, int[] s, int index, int ch) {
        boolean last = index == s.length - 1;
        if (ch == ' ') {
            f.leadingSpace |= index == 0;
            f.trailingSpace |= last;
            f.breakSpace |= f.previousBreak;
            f.previousSpace = true;
            f.previousBreak = false;
        } else if (isBreak(ch)) {
            f.leadingBreak |= index == 0;
            f.trailingBreak |= last;
            f.spaceBreak |= f.previousSpace;
            f.previousSpace = false;
            f.previousBreak = true;
        } else {
            f.previousSpace = false;
            f.previousBreak = false;
        }
    }

    private static final class Flags {
        boolean blockIndicators;
        boolean flowIndicators;
        boolean lineBreaks;
        boolean specialCharacters;
        boolean leadingSpace;
        boolean leadingBreak;
        boolean trailingSpace;
        boolean trailingBreak;
        boolean breakSpace;
        boolean spaceBreak;
        boolean previousSpace;
        boolean previousBreak;

        Analysis decide() {
            boolean flowPlain = true;
            boolean blockPlain = true;
            boolean single = true;
            if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
                flowPlain = false;
                blockPlain = false;
            }
            if (breakSpace) {
                flowPlain = false;
                blockPlain = false;
                single = false;
            }
            if (specialCharacters || spaceBreak) {
                flowPlain = false;
                blockPlain = false;
                single = false;
            }
            if (lineBreaks) {
                flowPlain = false;
                blockPlain = false;
            }
            if (flowIndicators) {
                flowPlain = false;
            }
            if (blockIndicators) {
                blockPlain = false;
            }
            return new Analysis(false, lineBreaks, flowPlain, blockPlain, single, true);
        }
    }
}
