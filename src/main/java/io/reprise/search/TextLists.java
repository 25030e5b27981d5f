package io.reprise.search;

import io.reprise.model.MlflowException;
import java.util.ArrayList;
import java.util.List;

/** MLflow's {@code _parse_list_from_sql_token}: an IN list must be a non-empty tuple of strings. */
final class TextLists {
    private TextLists() {}

    static List<String> read(String parenthesized) {
        PyLiteral.Tuple tuple;
        try {
            tuple = PyLiteral.asTuple(parenthesized);
        } catch (PyLiteral.IllFormed e) {
            throw MlflowException.invalid(
                    "While parsing a list in the query, expected a non-empty list of string values, but got"
                            + " ill-formed list.");
        }
        if (tuple.items().isEmpty()) {
            throw MlflowException.invalid(
                    "While parsing a list in the query, expected a non-empty list of string values, but got empty"
                            + " list");
        }
        List<String> values = new ArrayList<>();
        for (PyLiteral.Value v : tuple.items()) {
            if (!(v instanceof PyLiteral.Str s)) {
                throw MlflowException.invalid(
                        "While parsing a list in the query, expected string value, punctuation, or whitespace, but"
                                + " got different type in list: %s",
                        tuple.repr());
            }
            values.add(s.value());
        }
        return values;
    }
}
