package io.reprise.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link YNode} tree byte for byte as DVC's ruamel.yaml dumper does (block style, 2-space
 * indent, dash at the parent's column, lines folded at 80 columns). This is a port of the parts of
 * ruamel.yaml's Emitter that such documents reach; the names and the order of the calls follow it so
 * the two can be compared line by line.
 */
final class YamlEmitter {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;
    private static final int MAX_SIMPLE_KEY_LENGTH = 128;

    private final StringBuilder out = new StringBuilder();
    // (indent, is-sequence) pairs, as ruamel's Indents.
    private final List<Integer> indentValues = new ArrayList<>();
    private final List<Boolean> indentSeq = new ArrayList<>();
    private Integer indent;
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private boolean noNewline;
    private int flowLevel;
    private boolean sequenceContext;
    private boolean mappingContext;
    private boolean simpleKeyContext;

    private YamlEmitter() {}

    /** The document text of {@code root}, ending with a line break. */
    static String dump(YNode root) {
        YamlEmitter e = new YamlEmitter();
        e.expectNode(root, false, false, false);
        e.writeIndent();
        return e.out.toString();
    }

    private void expectNode(YNode node, boolean sequence, boolean mapping, boolean simpleKey) {
        sequenceContext = sequence;
        mappingContext = mapping;
        simpleKeyContext = simpleKey;
        switch (node) {
            case YNode.Scalar s -> expectScalar(s);
            case YNode.Seq s when s.items().isEmpty() -> emptyFlow("[", "]", true);
            case YNode.Seq s when s.flow() || flowLevel > 0 -> flowSequence(s);
            case YNode.Seq s -> expectBlockSequence(s);
            case YNode.Map m when m.entries().isEmpty() -> emptyFlow("{", "}", false);
            case YNode.Map m when m.flow() || flowLevel > 0 -> flowMapping(m);
            case YNode.Map m -> expectBlockMapping(m);
        }
    }

    private void increaseIndent(boolean flow, Boolean sequence, boolean indentless) {
        indentValues.add(indent);
        indentSeq.add(sequence);
        if (indent == null) {
            indent = flow ? null : 0;
        } else if (!indentless) {
            indent += BEST_INDENT; // best_sequence_indent == best_map_indent == 2
        }
    }

    private Integer popIndent() {
        indentSeq.removeLast();
        return indentValues.removeLast();
    }

    private void expectScalar(YNode.Scalar s) {
        increaseIndent(true, null, false);
        processScalar(s);
        indent = popIndent();
    }

    private void expectBlockSequence(YNode.Seq seq) {
        boolean indentless = mappingContext && !indention;
        increaseIndent(false, true, indentless);
        int n = indentSeq.size();
        if (n >= 2 && Boolean.TRUE.equals(indentSeq.get(n - 2)) && Boolean.TRUE.equals(indentSeq.get(n - 1))) {
            // a sequence directly in a sequence item: "- - x"
            indention = true;
            noNewline = false;
        }
        for (YNode item : seq.items()) {
            boolean nonl = column == 0 && noNewline;
            writeIndent();
            writeIndicator("-", true, false, true);
            if (nonl) {
                noNewline = true;
            }
            expectNode(item, true, false, false);
        }
        indent = popIndent();
        noNewline = false;
    }

    private void expectBlockMapping(YNode.Map map) {
        increaseIndent(false, false, false);
        for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
            writeIndent();
            YNode.Scalar key = YNode.Scalar.str(e.getKey());
            if (e.getKey().codePointCount(0, e.getKey().length()) >= MAX_SIMPLE_KEY_LENGTH
                    || YamlScalars.analyze(e.getKey()).multiline()) {
                throw new IllegalArgumentException("YAML key too long or multi-line: " + e.getKey());
            }
            expectNode(key, false, true, true);
            writeIndicator(":", false, false, false);
            expectNode(e.getValue(), false, true, false);
        }
        indent = popIndent();
    }

    private void emptyFlow(String open, String close, boolean sequence) {
        int ind = seqFlowAlign();
        writeIndicator(" ".repeat(ind) + open, true, true, false);
        flowLevel++;
        increaseIndent(true, sequence, false);
        indent = popIndent();
        flowLevel--;
        writeIndicator(close, false, false, false);
        if (flowLevel == 0) {
            writeLineBreak();
        }
    }

    private void flowSequence(YNode.Seq seq) {
        int ind = seqFlowAlign();
        writeIndicator(" ".repeat(ind) + "[", true, true, false);
        increaseIndent(true, true, false);
        flowLevel++;
        boolean first = true;
        for (YNode item : seq.items()) {
            if (!first) {
                writeIndicator(",", false, false, false);
            }
            first = false;
            if (column > BEST_WIDTH) {
                writeIndent();
            }
            expectNode(item, true, false, false);
        }
        indent = popIndent();
        flowLevel--;
        writeIndicator("]", false, false, false);
        noNewline = false;
    }

    private void flowMapping(YNode.Map map) {
        int ind = seqFlowAlign();
        writeIndicator(" ".repeat(ind) + "{", true, true, false);
        increaseIndent(true, false, false);
        flowLevel++;
        boolean first = true;
        for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
            if (!first) {
                writeIndicator(",", false, false, false);
            }
            first = false;
            if (column > BEST_WIDTH) {
                writeIndent();
            }
            expectNode(YNode.Scalar.str(e.getKey()), false, true, true);
            writeIndicator(":", false, false, false);
            expectNode(e.getValue(), false, true, false);
        }
        indent = popIndent();
        flowLevel--;
        writeIndicator("}", false, false, false);
        noNewline = false;
    }

    // Indents.seq_flow_align without pre-comments: extra spaces after a dash.
    private int seqFlowAlign() {
        int n = indentSeq.size();
        if (n < 2 || !Boolean.TRUE.equals(indentSeq.get(n - 1))) {
            return 0;
        }
        Integer baseValue = indentValues.get(n - 1);
        int base = baseValue == null ? 0 : baseValue;
        return base + BEST_INDENT - column - 1;
    }

    private void processScalar(YNode.Scalar s) {
        YamlScalars.Analysis analysis = YamlScalars.analyze(s.value());
        char style = chooseStyle(s, analysis);
        boolean split = !simpleKeyContext;
        if (sequenceContext && flowLevel == 0) {
            writeIndent();
        }
        switch (style) {
            case '"' -> writeDoubleQuoted(cps(s.value()), split);
            case '\'' -> writeSingleQuoted(cps(s.value()), split);
            default -> writePlain(cps(s.value()), split);
        }
    }

    private char chooseStyle(YNode.Scalar s, YamlScalars.Analysis a) {
        boolean implicitPlain = s.kind() != YNode.Kind.STR || YamlResolver.isPlainString(s.value());
        if (implicitPlain
                && !(simpleKeyContext && (a.empty() || a.multiline()))
                && (flowLevel > 0 ? a.allowFlowPlain() : a.allowBlockPlain())) {
            return 0;
        }
        if (a.allowDoubleQuoted() && (s.value().indexOf('\'') >= 0 || s.value().indexOf('\n') >= 0)) {
            return '"';
        }
        if (a.allowSingleQuoted() && !(simpleKeyContext && a.multiline())) {
            return '\'';
        }
        return '"';
    }

    private static int[] cps(String s) {
        return s.codePoints().toArray();
    }

    // Python's text[start:end]: empty when end <= start.
    private static String str(int[] text, int start, int end) {
        return end <= start ? "" : new String(text, start, end - start);
    }

    private void write(String data, int width) {
        out.append(data);
        column += width;
    }

    private void writeIndicator(String indicator, boolean needWhitespace, boolean ws, boolean indent) {
        String data = whitespace || !needWhitespace ? indicator : " " + indicator;
        whitespace = ws;
        indention = indention && indent;
        write(data, data.length());
    }

    private void writeIndent() {
        int ind = indent == null ? 0 : indent;
        if (!indention || column > ind || (column == ind && !whitespace)) {
            if (noNewline) {
                noNewline = false;
            } else {
                writeLineBreak();
            }
        }
        if (column < ind) {
            whitespace = true;
            write(" ".repeat(ind - column), ind - column);
        }
    }

    private void writeLineBreak() {
        whitespace = true;
        indention = true;
        column = 0;
        out.append('\n');
    }

    private void writeLineBreak(int br) {
        whitespace = true;
        indention = true;
        column = 0;
        out.appendCodePoint(br);
    }

    private void writeBreaks(int[] text, int start, int end) {
        if (text[start] == '\n') {
            writeLineBreak();
        }
        for (int i = start; i < end; i++) {
            if (text[i] == '\n') {
                writeLineBreak();
            } else {
                writeLineBreak(text[i]);
            }
        }
    }

    private void writePlain(int[] text, boolean split) {
        if (text.length == 0) {
            return;
        }
        if (!whitespace) {
            write(" ", 1);
        }
        whitespace = false;
        indention = false;
        boolean spaces = false;
        boolean breaks = false;
        int start = 0;
        for (int end = 0; end <= text.length; end++) {
            int ch = end < text.length ? text[end] : -1;
            if (spaces) {
                if (ch != ' ') {
                    if (start + 1 == end && column >= BEST_WIDTH && split) {
                        writeIndent();
                        whitespace = false;
                        indention = false;
                    } else {
                        write(str(text, start, end), end - start);
                    }
                    start = end;
                }
            } else if (breaks) {
                if (!YamlScalars.isBreak(ch)) {
                    writeBreaks(text, start, end);
                    writeIndent();
                    whitespace = false;
                    indention = false;
                    start = end;
                }
            } else if (ch == -1 || ch == ' ' || YamlScalars.isBreak(ch)) {
                int len = end - start;
                if (len + column > BEST_WIDTH && indent != null && column > indent) {
                    // words longer than the line get a line of their own
                    writeIndent();
                }
                write(str(text, start, end), len);
                start = end;
            }
            if (ch != -1) {
                spaces = ch == ' ';
                breaks = YamlScalars.isBreak(ch);
            }
        }
    }

    private void writeSingleQuoted(int[] text, boolean split) {
        writeIndicator("'", true, false, false);
        boolean spaces = false;
        boolean breaks = false;
        int start = 0;
        for (int end = 0; end <= text.length; end++) {
            int ch = end < text.length ? text[end] : -1;
            if (spaces) {
                if (ch != ' ') {
                    if (start + 1 == end && column > BEST_WIDTH && split && start != 0 && end != text.length) {
                        writeIndent();
                    } else {
                        write(str(text, start, end), end - start);
                    }
                    start = end;
                }
            } else if (breaks) {
                if (!YamlScalars.isBreak(ch)) {
                    writeBreaks(text, start, end);
                    writeIndent();
                    start = end;
                }
            } else if ((ch == -1 || ch == ' ' || YamlScalars.isBreak(ch) || ch == '\'') && start < end) {
                write(str(text, start, end), end - start);
                start = end;
            }
            if (ch == '\'') {
                write("''", 2);
                start = end + 1;
            }
            if (ch != -1) {
                spaces = ch == ' ';
                breaks = YamlScalars.isBreak(ch);
            }
        }
        writeIndicator("'", false, false, false);
    }

    private void writeDoubleQuoted(int[] text, boolean split) {
        writeIndicator("\"", true, false, false);
        int start = 0;
        for (int end = 0; end <= text.length; end++) {
            int ch = end < text.length ? text[end] : -1;
            if (ch == -1 || YamlScalars.needsEscape(ch)) {
                if (start < end) {
                    write(str(text, start, end), end - start);
                    start = end;
                }
                if (ch != -1) {
                    String data = YamlScalars.escape(ch);
                    write(data, data.length());
                    start = end + 1;
                }
            }
            if (0 < end
                    && end < text.length - 1
                    && (ch == ' ' || start >= end)
                    && column + (end - start) > BEST_WIDTH
                    && split) {
                start = foldDoubleQuoted(text, start, end);
            }
        }
        writeIndicator("\"", false, false, false);
    }

    // The line-folding branch of ruamel's write_double_quoted, with its backslash rules.
    private int foldDoubleQuoted(int[] text, int start, int end) {
        boolean needBackslash = needsBackslash(text, start, end);
        String data = str(text, start, end) + (needBackslash ? "\\" : "");
        int dataLen = Math.max(0, end - start) + (needBackslash ? 1 : 0);
        if (start < end) {
            start = end;
        }
        write(data, dataLen);
        writeIndent();
        whitespace = false;
        indention = false;
        if (text[start] == ' ') {
            if (!needBackslash) {
                start++;
            }
            if (needBackslash) {
                write("\\", 1);
            }
        }
        return start;
    }

    private static boolean needsBackslash(int[] text, int start, int end) {
        int spacePos = indexOf(text, ' ', end, text.length);
        if (spacePos < 0) {
            return true; // Python: ValueError from str.index
        }
        int nl = indexOf(text, '\n', end, spacePos);
        if (nl >= 0) {
            spacePos = nl;
        }
        if (spacePos + 1 >= text.length) {
            return true; // Python: IndexError, keeps the backslash
        }
        if (text[spacePos] == '\n' && text[spacePos + 1] != ' ') {
            return true;
        }
        return indexOf(text, '"', end, spacePos) >= 0
                || indexOf(text, '\'', end, spacePos) >= 0
                || text[spacePos + 1] == ' '
                || text[spacePos + 1] == '\n'
                || (end >= 1 && text[end - 1] == ' ' && text[end] == ' ')
                || start == end;
    }

    private static int indexOf(int[] text, int ch, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == ch) {
                return i;
            }
        }
        return -1;
    }
}
