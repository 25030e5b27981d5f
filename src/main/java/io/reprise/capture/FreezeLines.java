package io.reprise.capture;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The installed packages a run's record lists ({@code python.packages} of its manifest: pip freeze
 * lines), read back by whoever compares or shows two records.
 */
public final class FreezeLines {
    private FreezeLines() {}

    /**
     * Package name (lower case, as pip compares them) to what the line pins: the version of
     * {@code name==version}, {@code "@ url"} for {@code name @ url}, empty for a bare name.
     */
    public static Map<String, String> byName(Iterable<String> lines) {
        Map<String, String> out = new TreeMap<>();
        for (String line : lines) {
            int eq = line.indexOf("==");
            int at = line.indexOf(" @ ");
            if (eq > 0) {
                out.put(name(line, eq), line.substring(eq + 2));
            } else if (at > 0) {
                out.put(name(line, at), line.substring(at + 1));
            } else {
                out.put(line.toLowerCase(Locale.ROOT), "");
            }
        }
        return out;
    }

    private static String name(String line, int end) {
        return line.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
