package io.reprise.audit;

import java.util.List;
import java.util.Map;

/**
 * What the audit reads from one Python file: its imports, every call with its arguments, dotted
 * assignments and string literals. Names are resolved through the file's imports, so with
 * {@code import numpy as np}, {@code np.random.seed(1)} is a call of {@code numpy.random.seed}.
 *
 * @param path relative to the audited folder
 * @param imports every module imported, with the line of the import
 * @param aliases local name to the qualified name it stands for
 */
record PyModule(
        String path,
        List<Import> imports,
        Map<String, String> aliases,
        List<Call> calls,
        List<Assignment> assignments,
        List<DictEntry> dictEntries,
        List<Str> strings) {

    record Import(String module, int line) {}

    /**
     * A call.
     *
     * @param name the callee's dotted name, resolved through the imports; a call on the result of an
     *     expression (for example {@code f().log_metric(...)}) starts with "?."
     */
    record Call(String name, int line, int column, List<Arg> args) {
        /** The keyword argument {@code keyword}, if given. */
        Arg keyword(String keyword) {
            return args.stream()
                    .filter(a -> keyword.equals(a.keyword()))
                    .findFirst()
                    .orElse(null);
        }

        /** The {@code index}-th positional argument, if given. */
        Arg positional(int index) {
            List<Arg> p = args.stream().filter(a -> a.keyword() == null).toList();
            return index < p.size() ? p.get(index) : null;
        }

        String lastName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    /**
     * An argument of a call.
     *
     * @param keyword its keyword, null for a positional argument, "*" or "**" for unpacking
     * @param text the expression as written (tokens joined by single spaces)
     * @param literal the constant it is, or null when it is computed
     */
    record Arg(String keyword, String text, Literal literal) {}

    /** A constant expression: a number, string, bool, None, or a tuple/list of those. */
    record Literal(Kind kind, String value) {
        enum Kind {
            NUMBER,
            STRING,
            BOOL,
            NONE,
            COLLECTION
        }
    }

    /** {@code target = value} where the target is a dotted name or a subscript with a string key. */
    record Assignment(String target, String value, Literal literal, int line) {}

    /** A {@code "key": <constant>} entry of a dict display. */
    record DictEntry(String key, Literal value, int line, int column) {}

    /** A string constant (not an f-string with fields). */
    record Str(String value, int line) {}
}
