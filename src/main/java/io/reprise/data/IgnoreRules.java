package io.reprise.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dvcignore} rules, which use {@code .gitignore} syntax (DVC matches them with pathspec's
 * GitWildMatchPattern). Rules from a file apply below that file's directory; the last match wins.
 */
final class IgnoreRules {
    static final String FILE_NAME = ".dvcignore";

    /** {@code name}: the pattern is a plain name (no slash, no wildcard), matched without the regex. */
    private record Rule(String base, Pattern regex, String name, boolean negated, boolean dirOnly) {
        boolean matches(String relToRoot, boolean isDir) {
            if (dirOnly && !isDir) {
                return false;
            }
            String rel;
            if (base.isEmpty()) {
                rel = relToRoot;
            } else if (relToRoot.startsWith(base + "/")) {
                rel = relToRoot.substring(base.length() + 1);
            } else {
                return false;
            }
            if (name != null) { // the regex would be "(?:.*/)?name": the last path part is name
                int at = rel.length() - name.length();
                return rel.endsWith(name) && (at == 0 || rel.charAt(at - 1) == '/');
            }
            return regex.matcher(rel).matches();
        }
    }

    private final List<Rule> rules;
    private final boolean namesOnly;

    private IgnoreRules(List<Rule> rules) {
        this.rules = rules;
        this.namesOnly =
                rules.stream().allMatch(r -> r.name() != null && r.base().isEmpty());
    }

    /**
     * True when every rule is a plain name from the root's rules (the default ones, a .dvcignore of
     * names): then {@link #ignoredName} answers for any path, and a walk need not build full paths.
     */
    boolean namesOnly() {
        return namesOnly;
    }

    /** As {@link #ignored} for a path whose last part is {@code name}, when {@link #namesOnly()}. */
    boolean ignoredName(String name, boolean isDir) {
        boolean ignored = false;
        for (Rule r : rules) {
            if ((!r.dirOnly() || isDir) && r.name().equals(name)) {
                ignored = !r.negated();
            }
        }
        return ignored;
    }

    /** DVC's built-in rules: VCS folders and .dvc/ are never data. */
    static IgnoreRules defaults() {
        List<Rule> r = new ArrayList<>();
        for (String p : List.of(".hg/", ".git/", ".git", ".dvc/")) {
            r.add(parse("", p));
        }
        return new IgnoreRules(r);
    }

    /** These rules plus the ones in {@code dir/.dvcignore} ({@code base} is dir relative to the root). */
    IgnoreRules with(Path dir, String base) throws IOException {
        Path f = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(f)) {
            return this;
        }
        List<Rule> r = new ArrayList<>(rules);
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            Rule rule = parse(base, line);
            if (rule != null) {
                r.add(rule);
            }
        }
        return new IgnoreRules(r);
    }

    /** Whether a path ({@code /}-separated, relative to the repo root) is ignored by itself. */
    boolean ignored(String relToRoot, boolean isDir) {
        boolean ignored = false;
        for (Rule r : rules) {
            if (r.matches(relToRoot, isDir)) {
                ignored = !r.negated();
            }
        }
        return ignored;
    }

    /** Whether the path or any folder above it is ignored. */
    boolean ignoredWithParents(String relToRoot, boolean isDir) {
        int slash = -1;
        while ((slash = relToRoot.indexOf('/', slash + 1)) >= 0) {
            if (ignored(relToRoot.substring(0, slash), true)) {
                return true;
            }
        }
        return ignored(relToRoot, isDir);
    }

    private static Rule parse(String base, String rawLine) {
        String line = stripTrailingSpaces(rawLine);
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        boolean negated = line.startsWith("!");
        if (negated) {
            line = line.substring(1);
        }
        if (line.startsWith("\\#") || line.startsWith("\\!")) {
            line = line.substring(1);
        }
        boolean dirOnly = line.endsWith("/");
        if (dirOnly) {
            line = line.substring(0, line.length() - 1);
        }
        boolean anchored = line.contains("/");
        if (line.startsWith("/")) {
            line = line.substring(1);
        }
        if (line.isEmpty()) {
            return null;
        }
        String regex = (anchored ? "" : "(?:.*/)?") + globToRegex(line);
        boolean plain = !anchored && line.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
        return new Rule(base, Pattern.compile(regex, Pattern.DOTALL), plain ? line : null, negated, dirOnly);
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ' && !(end > 1 && s.charAt(end - 2) == '\\')) {
            end--;
        }
        return s.substring(0, end);
    }

    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        String[] parts = glob.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            if (parts[i].equals("**")) {
                re.append(last ? ".*" : "(?:[^/]*/)*");
                continue;
            }
            segment(re, parts[i]);
            if (!last) {
                re.append('/');
            }
        }
        return re.toString();
    }

    private static void segment(StringBuilder re, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i + 1 < s.length()) {
                        re.append(Pattern.quote(String.valueOf(s.charAt(++i))));
                    }
                }
                case '[' -> i = charClass(re, s, i);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
    }

    private static int charClass(StringBuilder re, String s, int open) {
        int close = s.indexOf(']', open + 2);
        if (close < 0) {
            re.append("\\[");
            return open;
        }
        String body = s.substring(open + 1, close);
        StringBuilder cls = new StringBuilder("[");
        int j = 0;
        if (body.startsWith("!") || body.startsWith("^")) {
            cls.append('^');
            j = 1;
        }
        for (; j < body.length(); j++) {
            char c = body.charAt(j);
            if (c == '\\' || c == '[' || c == '&' || c == '^') {
                cls.append('\\');
            }
            cls.append(c);
        }
        re.append(cls.append(']'));
        return close;
    }
}
