package io.reprise.data;

import java.util.List;
import java.util.regex.Pattern;

/**
 * ruamel.yaml's YAML 1.2 implicit resolvers: which plain scalars read back as something other than a
 * string. A string that would must be quoted; DVC's files are written by ruamel, so we must agree.
 */
final class YamlResolver {
    private static final int FLAGS = Pattern.UNIX_LINES;
    private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$", FLAGS);
    private static final Pattern FLOAT = Pattern.compile(
            "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
                    + "|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
                    + "|[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?"
                    + "|[-+]?\\.(?:inf|Inf|INF)"
                    + "|\\.(?:nan|NaN|NAN))$",
            FLAGS);
    private static final Pattern INT =
            Pattern.compile("^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$", FLAGS);
    private static final Pattern MERGE = Pattern.compile("^(?:<<)$", FLAGS);
    private static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL|)$", FLAGS);
    private static final Pattern TIMESTAMP = Pattern.compile(
            "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
                    + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
                    + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
                    + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
                    + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
            FLAGS);
    private static final Pattern VALUE = Pattern.compile("^(?:=)$", FLAGS);
    private static final Pattern YAML = Pattern.compile("^(?:!|&|\\*)$", FLAGS);

    private record Resolver(YNode.Kind kind, Pattern pattern) {}

    // In ruamel's registration order; the first match wins.
    private static final List<Resolver> RESOLVERS = List.of(
            new Resolver(YNode.Kind.BOOL, BOOL),
            new Resolver(YNode.Kind.FLOAT, FLOAT),
            new Resolver(YNode.Kind.INT, INT),
            new Resolver(null, MERGE),
            new Resolver(YNode.Kind.NULL, NULL),
            new Resolver(null, TIMESTAMP),
            new Resolver(null, VALUE),
            new Resolver(null, YAML));

    private YamlResolver() {}

    /** True if {@code plain} written without quotes reads back as a string. */
    static boolean isPlainString(String plain) {
        for (Resolver r : RESOLVERS) {
            if (r.pattern().matcher(plain).find()) {
                return false;
            }
        }
        return true;
    }

    /** The kind a plain scalar reads back as (STR when no resolver matches; other tags count as STR). */
    static YNode.Kind kindOf(String plain) {
        for (Resolver r : RESOLVERS) {
            if (r.pattern().matcher(plain).find()) {
                return r.kind() == null ? YNode.Kind.STR : r.kind();
            }
        }
        return YNode.Kind.STR;
    }
}
