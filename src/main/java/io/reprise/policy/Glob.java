package io.reprise.policy;

import java.util.regex.Pattern;

/**
 * A shell-like glob: {@code ?} is one character, {@code *} any run of characters, and for artifact
 * paths {@code *} stops at '/' while {@code **} crosses folders. Everything else is literal.
 */
record Glob(String text, Pattern pattern) {

    /** For experiment names, where '/' is an ordinary character ("/Users/ana/churn"). */
    static Glob name(String text) {
        return new Glob(text, Pattern.compile(regex(text, false), Pattern.DOTALL));
    }

    /** For artifact paths relative to the run's artifact root. */
    static Glob path(String text) {
        return new Glob(text, Pattern.compile(regex(text, true), Pattern.DOTALL));
    }

    boolean matches(String s) {
        return pattern.matcher(s).matches();
    }

    private static String regex(String glob, boolean paths) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && paths && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                i++;
                boolean slashFollows = i + 1 < glob.length() && glob.charAt(i + 1) == '/';
                if (slashFollows) { // "**/" also matches no folder at all
                    i++;
                    re.append("(?:.*/)?");
                } else {
                    re.append(".*");
                }
            } else if (c == '*') {
                re.append(paths ? "[^/]*" : ".*");
            } else if (c == '?') {
                re.append(paths ? "[^/]" : ".");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
