package io.reprise.search;

import io.reprise.model.MlflowException;
import io.reprise.search.Node.Comparison;
import io.reprise.search.Node.GroupKind;
import io.reprise.search.Node.Leaf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The first step of MLflow's {@code parse_search_filter}: one statement, made only of comparisons
 * and ANDs. It finds the comparisons and rejects whatever is left over with MLflow's messages.
 */
final class FilterSyntax {
    private FilterSyntax() {}

    // sqlparse refuses to group more tokens than this in one list, or parentheses nested this deep.
    private static final int MAX_GROUP_TOKENS = 10_000;
    private static final int MAX_NESTING = 100;

    static List<Comparison> comparisons(String filter, Vocabulary vocabulary) {
        List<List<Token>> statements = statements(Lexer.tokenize(filter));
        if (statements.stream().anyMatch(FilterSyntax::beyondSqlparseLimits)) {
            throw MlflowException.invalid("Error on parsing filter '%s'", filter);
        }
        if (statements.isEmpty()) {
            throw MlflowException.invalid("Invalid filter '%s'. Could not be parsed.", filter);
        }
        if (statements.size() > 1) {
            throw MlflowException.invalid(
                    "Search filter contained multiple expression %s. Provide AND-ed expression list.",
                    PyRepr.str(filter));
        }
        List<Node> nodes = joinListAndNullComparisons(Grouper.group(statements.getFirst()));
        List<Node> invalid = nodes.stream()
                .filter(n -> !(n instanceof Comparison) && !Node.isKeyword(n, "AND"))
                .toList();
        if (!invalid.isEmpty()) {
            throw MlflowException.invalid(
                    "Invalid clause(s) in filter string: %s", invalidClauses(invalid, vocabulary));
        }
        return nodes.stream()
                .filter(Comparison.class::isInstance)
                .map(Comparison.class::cast)
                .toList();
    }

    /**
     * True when sqlparse would give up grouping the statement: too many tokens in the statement
     * or in one pair of parentheses (a nested pair counts as one), or parentheses too deep. This
     * also bounds the work a hostile filter can cause.
     */
    static boolean beyondSqlparseLimits(List<Token> statement) {
        if (statement.size() > MAX_GROUP_TOKENS) {
            return true;
        }
        Deque<Integer> open = new ArrayDeque<>();
        for (Token t : statement) {
            if (!open.isEmpty()) {
                open.push(open.pop() + 1);
            }
            if (t.isPunctuation("(")) {
                open.push(1);
                if (open.size() >= MAX_NESTING) {
                    return true;
                }
            } else if (t.isPunctuation(")") && !open.isEmpty() && open.pop() > MAX_GROUP_TOKENS) {
                return true;
            }
        }
        return false;
    }

    // Run search quotes each clause in this message; experiment search does not.
    private static String invalidClauses(List<Node> invalid, Vocabulary vocabulary) {
        return invalid.stream()
                .map(n -> vocabulary.forRuns() ? "'" + n.text() + "'" : n.text())
                .collect(Collectors.joining(", "));
    }

    /**
     * sqlparse's statement splitter: a {@code ;} ends a statement together with the blanks and
     * line comments after it, and a trailing statement of blanks only is dropped.
     */
    static List<List<Token>> statements(List<Token> tokens) {
        List<List<Token>> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        boolean ended = false;
        int depth = 0;
        for (Token t : tokens) {
            if (ended && !endsStatement(t)) {
                statements.add(current);
                current = new ArrayList<>();
                ended = false;
            }
            current.add(t);
            depth += t.isPunctuation("(") ? 1 : t.isPunctuation(")") ? -1 : 0;
            // A ';' inside parentheses does not end the statement.
            ended |= t.isPunctuation(";") && depth <= 0;
        }
        if (current.stream().anyMatch(t -> !t.is(Token.Kind.WHITESPACE))) {
            statements.add(current);
        }
        return statements;
    }

    // Blanks (but not line breaks) and line comments stay with the statement a ';' ended.
    private static boolean endsStatement(Token t) {
        boolean blank = t.is(Token.Kind.WHITESPACE)
                && t.text().indexOf('\n') < 0
                && t.text().indexOf('\r') < 0;
        boolean lineComment = t.is(Token.Kind.COMMENT) && !t.text().startsWith("/*");
        return blank || lineComment;
    }

    /**
     * MLflow's {@code _join_in_comparison_tokens}: sqlparse does not see {@code x IN (...)},
     * {@code x NOT IN (...)} or {@code x IS [NOT] NULL} as comparisons, so MLflow joins them,
     * taking tokens three (or four) at a time after an identifier, whitespace ignored.
     */
    static List<Node> joinListAndNullComparisons(List<Node> grouped) {
        List<Node> tokens = grouped.stream().filter(n -> !Node.isWhitespace(n)).toList();
        List<Node> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            if (tokens.size() - i < 3) {
                out.addAll(tokens.subList(i, tokens.size()));
                break;
            }
            Node first = tokens.get(i);
            if (!Node.is(first, GroupKind.IDENTIFIER)) {
                out.add(first);
                i++;
                continue;
            }
            Node second = tokens.get(i + 1);
            Node third = tokens.get(i + 2);
            i += 3;
            Comparison joined = joinThree(first, second, third);
            if (joined != null) {
                out.add(joined);
                continue;
            }
            if (i >= tokens.size()) {
                out.addAll(List.of(first, second, third));
                break;
            }
            Node fourth = tokens.get(i++);
            if (Node.isKeyword(second, "NOT")
                    && Node.isKeyword(third, "IN")
                    && Node.is(fourth, GroupKind.PARENTHESIS)) {
                out.add(comparison(first, "NOT IN", fourth));
            } else {
                out.addAll(List.of(first, second, third, fourth));
            }
        }
        return out;
    }

    private static Comparison joinThree(Node first, Node second, Node third) {
        if (Node.isKeyword(second, "IN") && Node.is(third, GroupKind.PARENTHESIS)) {
            return new Comparison(List.of(first, second, third), first.text() + second.text() + third.text());
        }
        if (Node.isKeyword(second, "IS") && Node.isKeyword(third, "NULL")) {
            return comparison(first, "IS NULL", null);
        }
        if (Node.isKeyword(second, "IS") && Node.isKeyword(third, "NOT NULL")) {
            return comparison(first, "IS NOT NULL", null);
        }
        return null;
    }

    private static Comparison comparison(Node left, String comparator, Node right) {
        Node op = new Leaf(new Token(Token.Kind.KEYWORD, comparator));
        List<Node> parts = right == null ? List.of(left, op) : List.of(left, op, right);
        return new Comparison(parts, Node.joined(parts));
    }
}
