package io.reprise.search;

import io.reprise.search.Node.Comparison;
import io.reprise.search.Node.Group;
import io.reprise.search.Node.GroupKind;
import io.reprise.search.Node.Leaf;
import io.reprise.search.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Groups a statement's tokens in the passes sqlparse applies (parentheses, dotted names,
 * identifiers, ASC/DESC, arithmetic, comparisons, aliases), so that MLflow's checks see the same
 * shapes: a well-formed clause becomes one comparison, and anything else stays in pieces whose
 * text the "Invalid clause(s)" message lists.
 */
final class Grouper {
    private Grouper() {}

    /** Where a matched middle token's group starts and ends (inclusive indexes). */
    private interface Span {
        int[] of(List<Node> nodes, int prev, int middle, int next);
    }

    private static final Span PREV_TO_NEXT = (nodes, prev, middle, next) -> new int[] {prev, next};

    static List<Node> group(List<Token> tokens) {
        List<Node> nodes = parentheses(tokens);
        nodes = functions(nodes);
        nodes = periods(nodes);
        nodes = identifiers(nodes);
        nodes = orderings(nodes);
        nodes = operations(nodes);
        nodes = comparisons(nodes);
        nodes = aliases(nodes);
        return identifierLists(nodes);
    }

    private static List<Node> parentheses(List<Token> tokens) {
        List<Node> out = new ArrayList<>();
        Deque<Integer> opens = new ArrayDeque<>();
        for (Token t : tokens) {
            out.add(new Leaf(t));
            if (t.isPunctuation("(")) {
                opens.push(out.size() - 1);
            } else if (t.isPunctuation(")") && !opens.isEmpty()) {
                int open = opens.pop();
                replace(out, open, out.size() - 1, new Group(GroupKind.PARENTHESIS, out.subList(open, out.size())));
            }
        }
        return out;
    }

    /** {@code name(...)}, even with blanks before the parenthesis. */
    private static List<Node> functions(List<Node> nodes) {
        List<Node> out = new ArrayList<>(nodes);
        for (int i = 0; i < out.size(); i++) {
            int next = next(out, i);
            if (Node.is(out.get(i), Kind.NAME) && next >= 0 && Node.is(out.get(next), GroupKind.PARENTHESIS)) {
                replace(out, i, next, new Group(GroupKind.FUNCTION, out.subList(i, next + 1)));
            }
        }
        return out;
    }

    /** {@code a, b}: sqlparse lists comma-separated items, which MLflow then rejects whole. */
    private static List<Node> identifierLists(List<Node> nodes) {
        Predicate<Node> item = n -> (n instanceof Group g && g.kind() != GroupKind.PARENTHESIS)
                || n instanceof Comparison
                || isNumber(n)
                || Node.is(n, Kind.STRING)
                || Node.is(n, Kind.SYMBOL)
                || Node.is(n, Kind.NAME)
                || Node.is(n, Kind.KEYWORD)
                || (n != null && n.text().equals("*"));
        return group(
                nodes,
                n -> Node.is(n, Kind.PUNCTUATION) && n.text().equals(","),
                item,
                item,
                PREV_TO_NEXT,
                GroupKind.IDENTIFIER_LIST,
                true);
    }

    /** {@code a.b.c}: a name, then dots each followed by a name or quoted text, spaces allowed. */
    private static List<Node> periods(List<Node> nodes) {
        Span span = (list, prev, dot, next) -> {
            boolean nameFollows = next >= 0
                    && (Node.is(list.get(next), Kind.NAME)
                            || Node.is(list.get(next), Kind.SYMBOL)
                            || Node.is(list.get(next), Kind.STRING)
                            || Node.is(list.get(next), GroupKind.FUNCTION)
                            || list.get(next).text().equals("*"));
            return new int[] {prev, nameFollows ? next : dot};
        };
        Predicate<Node> namePrefix =
                n -> Node.is(n, GroupKind.IDENTIFIER) || Node.is(n, Kind.NAME) || Node.is(n, Kind.SYMBOL);
        return group(
                nodes,
                n -> Node.is(n, Kind.PUNCTUATION) && n.text().equals("."),
                namePrefix,
                any -> true,
                span,
                GroupKind.IDENTIFIER,
                true);
    }

    private static List<Node> identifiers(List<Node> nodes) {
        return nodes.stream()
                .map(n -> Node.is(n, Kind.NAME) || Node.is(n, Kind.SYMBOL)
                        ? new Group(GroupKind.IDENTIFIER, List.of(n))
                        : n)
                .toList();
    }

    /** {@code name DESC} is one identifier, which order_by clauses rely on. */
    private static List<Node> orderings(List<Node> nodes) {
        List<Node> out = new ArrayList<>(nodes);
        for (int i = 0; i < out.size(); i++) {
            int prev = previous(out, i);
            if (Node.is(out.get(i), Kind.ORDER)
                    && prev >= 0
                    && (Node.is(out.get(prev), GroupKind.IDENTIFIER) || isNumber(out.get(prev)))) {
                replace(out, prev, i, new Group(GroupKind.IDENTIFIER, out.subList(prev, i + 1)));
                i = prev;
            }
        }
        return out;
    }

    /** {@code a - b}: arithmetic, which MLflow never accepts but whose text its messages show. */
    private static List<Node> operations(List<Node> nodes) {
        return group(
                nodes,
                n -> Node.is(n, Kind.OPERATOR),
                Grouper::isOperand,
                Grouper::isOperand,
                PREV_TO_NEXT,
                GroupKind.OPERATION,
                false);
    }

    private static List<Node> comparisons(List<Node> nodes) {
        return group(
                nodes,
                n -> Node.is(n, Kind.COMPARISON),
                Grouper::isComparable,
                Grouper::isComparable,
                PREV_TO_NEXT,
                null,
                false);
    }

    /** An identifier right after a value or a comparison swallows it, as a SQL alias would. */
    private static List<Node> aliases(List<Node> nodes) {
        List<Node> out = new ArrayList<>(nodes);
        for (int i = 0; i < out.size(); i++) {
            Node n = out.get(i);
            int next = next(out, i);
            boolean aliasable = n instanceof Group || n instanceof Comparison || isNumber(n);
            if (aliasable && next >= 0 && Node.is(out.get(next), GroupKind.IDENTIFIER)) {
                List<Node> children =
                        new ArrayList<>(Node.is(n, GroupKind.IDENTIFIER) ? ((Group) n).children() : List.of(n));
                children.addAll(out.subList(i + 1, next + 1));
                // Like sqlparse, the merged group is not looked at again: one alias at most.
                replace(out, i, next, new Group(GroupKind.IDENTIFIER, children));
            }
        }
        return out;
    }

    /**
     * sqlparse's {@code _group}. One quirk matters: after grouping {@code a = b}, sqlparse judges
     * the next match against {@code b}, not against the new group, so {@code a = b = c} nests
     * instead of stopping. A null {@code kind} makes comparisons.
     */
    private static List<Node> group(
            List<Node> nodes,
            Predicate<Node> middle,
            Predicate<Node> validPrev,
            Predicate<Node> validNext,
            Span span,
            GroupKind kind,
            boolean extend) {
        List<Node> out = new ArrayList<>(nodes);
        int prev = -1;
        Node prevNode = null;
        for (int i = 0; i < out.size(); i++) {
            Node n = out.get(i);
            if (Node.isWhitespace(n)) {
                continue;
            }
            int next = next(out, i);
            Node nextNode = next < 0 ? null : out.get(next);
            if (middle.test(n) && prevNode != null && validPrev.test(prevNode) && validNext.test(nextNode)) {
                int[] fromTo = span.of(out, prev, i, next);
                boolean endsAtMiddle = fromTo[1] == i;
                Node last = out.get(fromTo[1]);
                Node grouped = grouped(out.subList(fromTo[0], fromTo[1] + 1), kind, extend);
                replace(out, fromTo[0], fromTo[1], grouped);
                i = fromTo[0];
                prev = i;
                prevNode = endsAtMiddle ? grouped : last;
                continue;
            }
            prev = i;
            prevNode = n;
        }
        return out;
    }

    private static Node grouped(List<Node> span, GroupKind kind, boolean extend) {
        if (kind == null) {
            List<Node> parts = span.stream().filter(x -> !Node.isWhitespace(x)).toList();
            return new Comparison(parts, Node.joined(span));
        }
        List<Node> children = new ArrayList<>();
        if (extend && Node.is(span.getFirst(), kind)) {
            children.addAll(((Group) span.getFirst()).children());
            children.addAll(span.subList(1, span.size()));
        } else {
            children.addAll(span);
        }
        return new Group(kind, children);
    }

    /** What sqlparse lets stand on either side of an arithmetic operator. */
    private static boolean isOperand(Node n) {
        return n instanceof Group
                || isNumber(n)
                || Node.is(n, Kind.STRING)
                || Node.is(n, Kind.SYMBOL)
                || Node.is(n, Kind.NAME);
    }

    /** What sqlparse lets stand on either side of a comparison operator. */
    private static boolean isComparable(Node n) {
        return isOperand(n) || Node.isKeyword(n, "NULL");
    }

    private static boolean isNumber(Node n) {
        return n instanceof Leaf l && l.token().isNumber();
    }

    static int next(List<Node> nodes, int i) {
        for (int j = i + 1; j < nodes.size(); j++) {
            if (!Node.isWhitespace(nodes.get(j))) {
                return j;
            }
        }
        return -1;
    }

    private static int previous(List<Node> nodes, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (!Node.isWhitespace(nodes.get(j))) {
                return j;
            }
        }
        return -1;
    }

    private static void replace(List<Node> nodes, int from, int to, Node with) {
        nodes.subList(from, to + 1).clear();
        nodes.add(from, with);
    }
}
