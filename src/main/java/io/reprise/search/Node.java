package io.reprise.search;

import java.util.List;
import java.util.stream.Collectors;

/** A token, or tokens grouped the way sqlparse groups them before MLflow inspects a filter. */
sealed interface Node {

    /** The exact source text, which MLflow quotes in its error messages. */
    String text();

    record Leaf(Token token) implements Node {
        @Override
        public String text() {
            return token.text();
        }
    }

    /** Kinds of token groups; MLflow's checks ask "is this an Identifier / a Parenthesis?". */
    enum GroupKind {
        IDENTIFIER,
        PARENTHESIS,
        FUNCTION,
        OPERATION,
        IDENTIFIER_LIST
    }

    record Group(GroupKind kind, List<Node> children) implements Node {
        public Group {
            children = List.copyOf(children);
        }

        @Override
        public String text() {
            return joined(children);
        }
    }

    /**
     * A comparison as MLflow receives it: {@code parts} are its non-blank pieces, three of them
     * ({@code left comparator right}) or two for IS NULL / IS NOT NULL. The comparator keeps the
     * user's spelling, as MLflow does until the store validates it.
     */
    record Comparison(List<Node> parts, String text) implements Node {
        public Comparison {
            parts = List.copyOf(parts);
        }

        Node left() {
            return parts.getFirst();
        }

        String comparator() {
            return parts.get(1).text();
        }

        /** The value, or null for IS NULL / IS NOT NULL. */
        Node right() {
            return parts.size() == 3 ? parts.get(2) : null;
        }
    }

    static String joined(List<Node> nodes) {
        return nodes.stream().map(Node::text).collect(Collectors.joining());
    }

    static boolean is(Node n, GroupKind kind) {
        return n instanceof Group g && g.kind() == kind;
    }

    static boolean is(Node n, Token.Kind kind) {
        return n instanceof Leaf l && l.token().is(kind);
    }

    static boolean isKeyword(Node n, String word) {
        return n instanceof Leaf l && l.token().isKeyword(word);
    }

    static boolean isWhitespace(Node n) {
        return is(n, Token.Kind.WHITESPACE);
    }
}
