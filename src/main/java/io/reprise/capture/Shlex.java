package io.reprise.capture;

import java.util.regex.Pattern;

/** Python's {@code shlex.quote}, which MLflow applies to every value it puts in a project command. */
final class Shlex {
    private static final Pattern ASCII_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]*");

    private Shlex() {}

    static String quote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        // shlex uses re.ASCII: any non-ASCII character is unsafe and forces quotes
        if (ASCII_SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
