package io.reprise.audit;

import io.reprise.audit.PyModule.Arg;
import io.reprise.audit.PyModule.Assignment;
import io.reprise.audit.PyModule.Call;
import io.reprise.audit.PyModule.DictEntry;
import io.reprise.audit.PyModule.Import;
import io.reprise.audit.PyModule.Literal;
import io.reprise.audit.PyModule.Str;
import io.reprise.audit.PyTokenizer.Kind;
import io.reprise.audit.PyTokenizer.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small parser over {@link PyTokenizer}'s tokens: statements (split on ';' and after compound
 * headers such as {@code try:}), imports with aliases, calls with keyword and positional arguments,
 * dotted assignments and dict entries. It does not build a full syntax tree; names bound by imports
 * anywhere in the file are resolved everywhere in it (scopes are not tracked). Expressions inside
 * f-string replacement fields are read as code too.
 */
final class PyParser {
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "as",
            "assert",
            "async",
            "await",
            "break",
            "class",
            "continue",
            "def",
            "del",
            "elif",
            "else",
            "except",
            "finally",
            "for",
            "from",
            "global",
            "if",
            "import",
            "in",
            "is",
            "lambda",
            "nonlocal",
            "not",
            "or",
            "pass",
            "raise",
            "return",
            "try",
            "while",
            "with",
            "yield",
            "None",
            "True",
            "False");
    private static final Set<String> COMPOUND =
            Set.of("if", "elif", "else", "try", "except", "finally", "with", "for", "while", "def", "class", "async");

    /** String constants longer than this (docstrings, templates) are not kept. */
    static final int MAX_KEPT_STRING = 256;

    static final int MAX_TEXT = 200;

    private final String path;
    /** The file's tokens, then those of its f-string replacement fields. */
    private final List<Token> tokens;
    /** Where the file's own tokens end: statements are read up to here, expressions everywhere. */
    private final int statementsEnd;

    private final java.util.function.Predicate<Call> keep;
    private final List<Import> imports = new ArrayList<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<Assignment> assignments = new ArrayList<>();
    private final List<DictEntry> dictEntries = new ArrayList<>();
    private final List<Str> strings = new ArrayList<>();

    private PyParser(String path, PyTokenizer.Lexed lexed, java.util.function.Predicate<Call> keep) {
        this.path = path;
        List<Token> all = new ArrayList<>(lexed.tokens());
        all.addAll(lexed.fields()); // f"{np.random.rand()}" calls numpy.random.rand like any code
        this.tokens = all;
        this.statementsEnd = lexed.tokens().size();
        this.keep = keep;
    }

    /** Parses {@code source}; throws {@link PyTokenizer.SyntaxError} when it is not valid Python. */
    static PyModule parse(String path, String source) {
        return parse(path, source, c -> true);
    }

    /** Parses {@code source}, keeping only the calls {@code keep} accepts (memory, on large trees). */
    static PyModule parse(String path, String source, java.util.function.Predicate<Call> keep) {
        PyParser p = new PyParser(path, PyTokenizer.lex(source), keep);
        p.statements();
        p.expressions();
        return new PyModule(
                p.path,
                List.copyOf(p.imports),
                Map.copyOf(p.aliases),
                List.copyOf(p.calls),
                List.copyOf(p.assignments),
                List.copyOf(p.dictEntries),
                List.copyOf(p.strings));
    }

    // ---- statements: imports and assignments

    private void statements() {
        int start = 0;
        for (int i = 0; i < statementsEnd; i++) {
            if (tokens.get(i).kind() == Kind.NEWLINE) {
                logicalLine(start, i);
                start = i + 1;
            }
        }
    }

    private void logicalLine(int from, int to) {
        int start = from;
        int depth = 0;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            depth += depthChange(t);
            if (depth == 0 && t.is(";")) {
                statement(start, i);
                start = i + 1;
            }
        }
        statement(start, to);
    }

    private void statement(int from, int to) {
        if (from >= to) {
            return;
        }
        Token first = tokens.get(from);
        if (first.kind() == Kind.NAME && COMPOUND.contains(first.text())) {
            int colon = headerColon(from, to);
            if (colon > 0) {
                statement(colon + 1, to); // "try: import x", "if a: b = 1"
            }
        } else if (first.is("import")) {
            importNames(from + 1, to);
        } else if (first.is("from")) {
            fromImport(from + 1, to);
        } else {
            assignment(from, to);
        }
    }

    /** The ':' that ends a compound statement's header (colons of lambdas and slices skipped). */
    private int headerColon(int from, int to) {
        int depth = 0;
        int lambdas = 0;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            depth += depthChange(t);
            if (depth == 0 && t.is("lambda")) {
                lambdas++;
            } else if (depth == 0 && t.is(":")) {
                if (lambdas == 0) {
                    return i;
                }
                lambdas--;
            }
        }
        return -1;
    }

    private void importNames(int from, int to) {
        for (List<Token> part : split(from, to)) {
            String module = dotted(part, 0);
            if (module.isEmpty()) {
                continue;
            }
            imports.add(new Import(module, part.get(0).line()));
            int as = indexOf(part, "as");
            if (as > 0 && as + 1 < part.size()) {
                aliases.put(part.get(as + 1).text(), module);
            } else {
                String top = module.split("\\.", 2)[0];
                aliases.putIfAbsent(top, top);
            }
        }
    }

    private void fromImport(int from, int to) {
        int imp = -1;
        for (int i = from; i < to; i++) {
            if (tokens.get(i).is("import")) {
                imp = i;
                break;
            }
        }
        if (imp < 0) {
            return;
        }
        StringBuilder module = new StringBuilder();
        for (int i = from; i < imp; i++) {
            module.append(tokens.get(i).text());
        }
        String base = module.toString();
        int line = tokens.get(from).line();
        if (!base.startsWith(".")) {
            imports.add(new Import(base, line));
        }
        int first = imp + 1;
        int last = to;
        if (first < to && tokens.get(first).is("(")) { // from m import (a as b, c)
            first++;
            last = Math.max(first, matching(imp + 1));
        }
        for (List<Token> names : split(first, last)) {
            if (names.isEmpty() || names.get(0).is("*")) {
                continue;
            }
            String name = names.get(0).text();
            String qualified = base.endsWith(".") ? base + name : base + "." + name;
            if (!base.startsWith(".")) {
                imports.add(new Import(qualified, line));
            }
            int as = indexOf(names, "as");
            aliases.put(as > 0 && as + 1 < names.size() ? names.get(as + 1).text() : name, qualified);
        }
    }

    /** {@code a.b.c = value}, {@code os.environ["K"] = value}; other targets are not recorded. */
    private void assignment(int from, int to) {
        int depth = 0;
        int eq = -1;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            depth += depthChange(t);
            if (depth == 0 && t.is("=")) {
                eq = i;
            }
        }
        if (eq < 0) {
            return;
        }
        int targetEnd = from;
        for (int i = from; i < eq; i++) {
            if (tokens.get(i).is("=")) {
                targetEnd = i;
                break;
            }
            targetEnd = i + 1;
        }
        String target = target(from, targetEnd);
        if (target != null && target.contains(".")) { // x.y = ..., os.environ["K"] = ...: not plain locals
            List<Token> value = tokens.subList(eq + 1, to);
            assignments.add(new Assignment(
                    target, text(value), literal(value), tokens.get(from).line()));
        }
    }

    private String target(int from, int to) {
        List<Token> t = tokens.subList(from, to);
        if (t.isEmpty() || t.get(0).kind() != Kind.NAME) {
            return null;
        }
        int i = 0;
        StringBuilder name = new StringBuilder(t.get(0).text());
        while (i + 2 < t.size() && t.get(i + 1).is(".") && t.get(i + 2).kind() == Kind.NAME) {
            name.append('.').append(t.get(i + 2).text());
            i += 2;
        }
        String resolved = resolve(name.toString());
        if (i + 1 == t.size()) {
            return resolved;
        }
        if (i + 4 == t.size()
                && t.get(i + 1).is("[")
                && t.get(i + 2).kind() == Kind.STRING
                && t.get(i + 3).is("]")) {
            return resolved + "[\"" + t.get(i + 2).value() + "\"]";
        }
        return null;
    }

    // ---- expressions: calls, dict entries, strings

    private void expressions() {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.STRING
                    && !t.formatted()
                    && t.value().length() <= MAX_KEPT_STRING
                    && !t.value().isBlank()
                    && t.value().chars().noneMatch(Character::isWhitespace)) {
                strings.add(new Str(t.value(), t.line())); // paths and names, not docstrings or messages
            }
            if (t.kind() == Kind.NAME
                    && !KEYWORDS.contains(t.text())
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).is("(")) {
                call(i);
            }
            if (t.kind() == Kind.STRING
                    && !t.formatted()
                    && i + 2 < tokens.size()
                    && tokens.get(i + 1).is(":")) {
                dictEntry(i);
            }
        }
    }

    private void call(int nameIndex) {
        int start = nameIndex;
        while (start >= 2
                && tokens.get(start - 1).is(".")
                && tokens.get(start - 2).kind() == Kind.NAME) {
            start -= 2;
        }
        if (start >= 1
                && (tokens.get(start - 1).is("def") || tokens.get(start - 1).is("class"))) {
            return;
        }
        StringBuilder name = new StringBuilder();
        for (int i = start; i <= nameIndex; i += 2) {
            name.append(i == start ? "" : ".").append(tokens.get(i).text());
        }
        boolean onExpression = start >= 1 && tokens.get(start - 1).is(".");
        String resolved = onExpression ? "?." + name : resolve(name.toString());
        Token first = tokens.get(start);
        Call c = new Call(resolved, first.line(), first.column(), arguments(nameIndex + 1));
        if (keep.test(c)) {
            calls.add(c);
        }
    }

    /** The arguments of the call whose '(' is at {@code open}. */
    private List<Arg> arguments(int open) {
        int close = matching(open);
        List<Arg> args = new ArrayList<>();
        for (List<Token> part : split(open + 1, close)) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.size() >= 2
                    && part.get(0).kind() == Kind.NAME
                    && part.get(1).is("=")) {
                List<Token> value = part.subList(2, part.size());
                args.add(new Arg(part.get(0).text(), text(value), literal(value)));
            } else if (part.get(0).is("*") || part.get(0).is("**")) {
                args.add(new Arg(part.get(0).text(), text(part.subList(1, part.size())), null));
            } else {
                args.add(new Arg(null, text(part), literal(part)));
            }
        }
        return args;
    }

    private void dictEntry(int keyIndex) {
        Token before = keyIndex > 0 ? tokens.get(keyIndex - 1) : null;
        if (before == null || !(before.is("{") || before.is(","))) {
            return;
        }
        int end = keyIndex + 2;
        int depth = 0;
        while (end < tokens.size()) {
            Token t = tokens.get(end);
            if (depth == 0 && (t.is(",") || t.is("}"))) {
                break;
            }
            depth += depthChange(t);
            if (depth < 0 || t.kind() == Kind.NEWLINE) {
                return;
            }
            end++;
        }
        Literal value = literal(tokens.subList(keyIndex + 2, end));
        if (value != null) {
            Token key = tokens.get(keyIndex);
            dictEntries.add(new DictEntry(key.value(), value, key.line(), key.column()));
        }
    }

    // ---- helpers

    /** The constant the tokens spell, or null: numbers (signed), strings, True/False/None, tuples. */
    static Literal literal(List<Token> t) {
        if (t.isEmpty()) {
            return null;
        }
        if (t.size() == 1) {
            return single(t.get(0));
        }
        if (t.size() == 2 && (t.get(0).is("-") || t.get(0).is("+")) && t.get(1).kind() == Kind.NUMBER) {
            return new Literal(Literal.Kind.NUMBER, t.get(0).text() + t.get(1).text());
        }
        if (t.stream().allMatch(x -> x.kind() == Kind.STRING && !x.formatted())) {
            StringBuilder s = new StringBuilder();
            t.forEach(x -> s.append(x.value()));
            return new Literal(Literal.Kind.STRING, s.toString()); // implicit concatenation
        }
        for (Token x : t) {
            boolean ok = x.kind() == Kind.NUMBER
                    || (x.kind() == Kind.STRING && !x.formatted())
                    || x.is("True")
                    || x.is("False")
                    || x.is("None")
                    || x.is(",")
                    || x.is("-")
                    || x.is("(")
                    || x.is(")")
                    || x.is("[")
                    || x.is("]");
            if (!ok) {
                return null;
            }
        }
        return new Literal(Literal.Kind.COLLECTION, text(t));
    }

    private static Literal single(Token t) {
        if (t.kind() == Kind.NUMBER) {
            return new Literal(Literal.Kind.NUMBER, t.text());
        }
        if (t.kind() == Kind.STRING && !t.formatted()) {
            return new Literal(Literal.Kind.STRING, t.value());
        }
        if (t.is("True") || t.is("False")) {
            return new Literal(Literal.Kind.BOOL, t.text());
        }
        return t.is("None") ? new Literal(Literal.Kind.NONE, "None") : null;
    }

    private String resolve(String dotted) {
        int dot = dotted.indexOf('.');
        String head = dot < 0 ? dotted : dotted.substring(0, dot);
        String target = aliases.get(head);
        return target == null ? dotted : target + (dot < 0 ? "" : dotted.substring(dot));
    }

    private static int depthChange(Token t) {
        if (t.kind() != Kind.OP) {
            return 0;
        }
        return switch (t.text()) {
            case "(", "[", "{" -> 1;
            case ")", "]", "}" -> -1;
            default -> 0;
        };
    }

    private int matching(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            depth += depthChange(tokens.get(i));
            if (depth == 0) {
                return i;
            }
        }
        return tokens.size(); // the tokenizer checks brackets; not reached
    }

    /** Splits tokens [from, to) on top-level commas. */
    private List<List<Token>> split(int from, int to) {
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            depth += depthChange(t);
            if (t.is(",") && depth == 0) {
                parts.add(tokens.subList(start, i));
                start = i + 1;
            }
        }
        parts.add(tokens.subList(start, to));
        return parts;
    }

    private static String dotted(List<Token> t, int from) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < t.size(); i++) {
            Token x = t.get(i);
            if (x.kind() == Kind.NAME && !x.is("as")) {
                s.append(x.text());
            } else if (x.is(".")) {
                s.append('.');
            } else {
                break;
            }
        }
        return s.toString();
    }

    private static int indexOf(List<Token> t, String word) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).is(word)) {
                return i;
            }
        }
        return -1;
    }

    /** The tokens as text, cut at {@link #MAX_TEXT}: the checks look at short expressions only. */
    private static String text(List<Token> t) {
        StringBuilder s = new StringBuilder();
        for (Token x : t) {
            if (s.length() > MAX_TEXT) {
                return s.append(" ...").toString();
            }
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(x.text());
        }
        return s.toString();
    }
}
