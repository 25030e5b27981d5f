package io.reprise.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DVC's config files, read and written as DVC does through configobj: keys lower-cased, comments
 * dropped, plain sections first (file order, then new ones in DVC's schema order), then the named
 * {@code 'remote "x"'}, {@code 'machine "x"'} and {@code 'db "x"'} sections; values quoted only when
 * configobj would quote them.
 */
final class IniFile {
    private static final List<String> SCHEMA_ORDER = List.of(
            "core", "cache", "remote", "state", "index", "machine", "feature", "plots", "exp", "parsing", "hydra",
            "studio", "db");
    private static final List<String> NAMED_KINDS = List.of("remote", "machine", "db");
    private static final java.util.regex.Pattern NAMED =
            java.util.regex.Pattern.compile("^\\s*(remote|machine|db)\\s*\"(.*)\"\\s*$");

    // Options configobj parsed as lists ("a, b"): kept in their written form, which is not re-quoted.
    private final Map<Map<String, String>, java.util.Set<String>> lists = new java.util.IdentityHashMap<>();

    /** Plain sections ("core", "cache", ...) in order. */
    final LinkedHashMap<String, LinkedHashMap<String, String>> sections = new LinkedHashMap<>();
    /** Named sections per kind ("remote" -> name -> options), in order. */
    final LinkedHashMap<String, LinkedHashMap<String, LinkedHashMap<String, String>>> named = new LinkedHashMap<>();

    IniFile() {
        for (String kind : NAMED_KINDS) {
            named.put(kind, new LinkedHashMap<>());
        }
    }

    static IniFile parse(String text, String source) {
        IniFile ini = new IniFile();
        Map<String, String> current = null;
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                int end = line.lastIndexOf(']');
                if (end < 0) {
                    throw bad(source, lineNo);
                }
                current = ini.section(unquote(line.substring(1, end).strip()).toLowerCase(Locale.ROOT));
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0 || current == null) {
                throw bad(source, lineNo);
            }
            String key = unquote(line.substring(0, eq).strip()).toLowerCase(Locale.ROOT);
            String rawValue = line.substring(eq + 1).strip();
            List<String> list = listValue(rawValue);
            if (list != null) {
                current.put(key, renderList(list));
                ini.lists
                        .computeIfAbsent(current, k -> new java.util.HashSet<>())
                        .add(key);
            } else {
                current.put(key, value(rawValue));
            }
        }
        return ini;
    }

    private static DataException bad(String source, int lineNo) {
        return new DataException(source + " line " + lineNo + " is not 'key = value' or '[section]'; fix it.");
    }

    private Map<String, String> section(String name) {
        java.util.regex.Matcher m = NAMED.matcher(name);
        if (m.matches()) {
            return named.get(m.group(1)).computeIfAbsent(m.group(2), k -> new LinkedHashMap<>());
        }
        return sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
    }

    /** A plain section to edit; created in DVC's schema order when missing. */
    Map<String, String> edit(String name) {
        if (!sections.containsKey(name)) {
            sections.put(name, new LinkedHashMap<>());
        }
        return sections.get(name);
    }

    String get(String section, String key) {
        Map<String, String> s = sections.get(section);
        return s == null ? null : s.get(key);
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        for (String name : renderOrder()) {
            LinkedHashMap<String, String> s = sections.get(name);
            if (s != null && !s.isEmpty()) {
                writeSection(sb, name, s);
            }
        }
        named.forEach((kind, byName) -> byName.forEach((name, s) -> writeSection(sb, kind + " \"" + name + "\"", s)));
        return sb.toString();
    }

    // Sections read from the file keep their order; DVC adds missing schema sections after them.
    private List<String> renderOrder() {
        List<String> order = new ArrayList<>(sections.keySet());
        order.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return order;
    }

    private int rank(String name) {
        return loadedOrder.contains(name) ? loadedOrder.indexOf(name) : 1000 + SCHEMA_ORDER.indexOf(name);
    }

    private final List<String> loadedOrder = new ArrayList<>();

    /** Marks the current sections as read from disk (they keep their order when rendering). */
    IniFile loaded() {
        loadedOrder.clear();
        loadedOrder.addAll(sections.keySet());
        return this;
    }

    private void writeSection(StringBuilder sb, String name, Map<String, String> options) {
        sb.append('[').append(quote(name, false)).append("]\n");
        java.util.Set<String> listKeys = lists.getOrDefault(options, java.util.Set.of());
        options.forEach((k, v) -> sb.append("    ")
                .append(quote(k, false))
                .append(" = ")
                .append(listKeys.contains(k) ? v : quote(v, true))
                .append('\n'));
    }

    // configobj reads an unquoted value with a comma as a list: "a,b" -> [a, b], "a," -> [a], "," -> [].
    private static List<String> listValue(String raw) {
        if (raw.isEmpty() || raw.startsWith("\'\'\'") || raw.startsWith("\"\"\"")) {
            return null;
        }
        List<String> items = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean sawComma = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c == '"' || c == '\'') && cur.toString().isBlank()) {
                int end = raw.indexOf(c, i + 1);
                if (end < 0) {
                    return null;
                }
                cur.append(raw, i + 1, end);
                i = end;
            } else if (c == ',') {
                sawComma = true;
                items.add(cur.toString().strip());
                cur.setLength(0);
            } else if (c == '#') {
                break;
            } else {
                cur.append(c);
            }
        }
        if (!sawComma) {
            return null;
        }
        if (!cur.toString().isBlank()) {
            items.add(cur.toString().strip());
        }
        items.removeIf(String::isEmpty);
        return items;
    }

    private static String renderList(List<String> items) {
        if (items.isEmpty()) {
            return ",";
        }
        if (items.size() == 1) {
            return quote(items.getFirst(), false) + ",";
        }
        List<String> quoted = new ArrayList<>();
        items.forEach(i -> quoted.add(quote(i, false)));
        return String.join(", ", quoted);
    }

    // configobj's ConfigObj._quote with list_values=True.
    static String quote(String value, boolean multiline) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean hasSingle = value.indexOf('\'') >= 0;
        boolean hasDouble = value.indexOf('"') >= 0;
        boolean hasNewline = value.indexOf('\n') >= 0;
        boolean needTriple = multiline && ((hasSingle && hasDouble) || hasNewline);
        boolean hashTripleQuote = multiline && !needTriple && hasSingle && hasDouble && value.indexOf('#') >= 0;
        String quot;
        if (!needTriple && !hashTripleQuote) {
            if (hasNewline) {
                throw new DataException("Value \"" + value + "\" cannot be safely quoted.");
            }
            String wspacePlus = " \r\n\u000b\t'\"";
            boolean plain = wspacePlus.indexOf(value.charAt(0)) < 0
                    && wspacePlus.indexOf(value.charAt(value.length() - 1)) < 0
                    && value.indexOf(',') < 0;
            quot = plain ? "%s" : singleQuote(value);
        } else {
            quot = value.contains("\"\"\"") ? "\"\"\"%s\"\"\"" : "'''%s'''";
        }
        if (quot.equals("%s") && value.indexOf('#') >= 0) {
            quot = singleQuote(value);
        }
        return quot.replace("%s", value);
    }

    private static String singleQuote(String value) {
        if (value.indexOf('\'') >= 0 && value.indexOf('"') >= 0) {
            throw new DataException("Value \"" + value + "\" cannot be safely quoted.");
        }
        return value.indexOf('"') >= 0 ? "'%s'" : "\"%s\"";
    }

    // configobj value syntax: a quoted string, or text up to an unquoted '#'.
    private static String value(String v) {
        for (String q : List.of("'''", "\"\"\"")) {
            if (v.startsWith(q) && v.indexOf(q, 3) >= 0) {
                return v.substring(3, v.indexOf(q, 3));
            }
        }
        if (!v.isEmpty() && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            int end = v.indexOf(v.charAt(0), 1);
            if (end > 0) {
                return v.substring(1, end);
            }
        }
        int hash = v.indexOf('#');
        return (hash < 0 ? v : v.substring(0, hash)).strip();
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
