package io.reprise.data;

/**
 * Strings as Python's {@code json.dumps} writes them with {@code ensure_ascii=True}: DVC writes
 * directory manifests and {@code dvc diff --json} that way, and Reprise must match byte for byte.
 * Quotes, backslashes and controls are escaped, and every non-ASCII UTF-16 unit becomes a lowercase
 * {@code \\uXXXX} (characters above U+FFFF become surrogate pairs).
 */
public final class PythonJsonText {
    private PythonJsonText() {}

    /** The quoted string. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        append(sb, s);
        return sb.toString();
    }

    /** Appends the quoted string to {@code sb}. */
    public static void append(StringBuilder sb, String s) {
        sb.append('"');
        if (plain(s)) { // the usual path or md5: one append instead of one per character
            sb.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
