package io.reprise.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.TemplateEngine;

/** Collects the bound values of a generated query: SQL text only ever holds placeholders. */
final class SqlBuilder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Binds a value and returns its placeholder. */
    String bind(Object value) {
        String name = "p" + values.size();
        values.put(name, value);
        return ":" + name;
    }

    /** Binds each value and returns the comma-separated placeholders, for {@code IN (...)}. */
    String bindAll(List<?> list) {
        return list.stream().map(this::bind).collect(Collectors.joining(", "));
    }

    /** A query over {@code sql} with every value bound; {@code <} in the SQL is not a template. */
    Query query(Handle h, String sql) {
        Query q = h.createQuery(sql).setTemplateEngine(TemplateEngine.NOP);
        values.forEach(q::bind);
        return q;
    }
}
