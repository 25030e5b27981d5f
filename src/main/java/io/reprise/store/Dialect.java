package io.reprise.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.statement.SqlStatement;

/** The few places where SQLite and PostgreSQL need different SQL or error handling. */
enum Dialect {
    SQLITE("classpath:db/sqlite"),
    POSTGRES("classpath:db/postgres");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    String migrations() {
        return migrations;
    }

    /** A case-insensitive LIKE; PostgreSQL has ILIKE, SQLite folds ASCII case with lower(). */
    String ilike(String column, String placeholder) {
        return this == POSTGRES
                ? column + " ILIKE " + placeholder
                : "lower(" + column + ") LIKE lower(" + placeholder + ")";
    }

    /**
     * The join keyword that makes the left table the outer loop. SQLite's planner otherwise starts
     * from runs and sorts every match; CROSS JOIN is its documented way to fix the order.
     * PostgreSQL chooses well by itself (and CROSS JOIN there takes no ON clause).
     */
    String joinInThisOrder() {
        return this == SQLITE ? " CROSS JOIN " : " JOIN ";
    }

    /** Orders text byte-wise, as MLflow's tests expect, whatever the database collation. */
    String binaryText(String column) {
        return this == POSTGRES ? column + " COLLATE \"C\"" : column;
    }

    /**
     * Locks the rows a read-then-write transaction selects, as its UPDATE would. PostgreSQL needs it
     * so that concurrent writers of one run (or experiment) queue instead of racing; SQLite has one
     * writer at a time anyway and no such clause.
     */
    String lockForUpdate() {
        return this == POSTGRES ? " FOR NO KEY UPDATE" : "";
    }

    /** Keeps the selected rows from changing until commit (PostgreSQL); see {@link #lockForUpdate}. */
    String lockForShare() {
        return this == POSTGRES ? " FOR SHARE" : "";
    }

    /**
     * {@code column} is one of the ids bound by {@link #bindIds}: one parameter whatever the count, as
     * a search page may hold 50,000 runs (an IN list of them takes seconds to bind and nears
     * PostgreSQL's 65,535-parameter limit).
     */
    String inIds(String column) {
        return this == POSTGRES ? column + " = ANY(:ids)" : column + " IN (SELECT value FROM json_each(:ids))";
    }

    /** Binds {@code :ids} for {@link #inIds}: a text array for PostgreSQL, a JSON array for SQLite. */
    <S extends SqlStatement<S>> S bindIds(S statement, List<String> ids) {
        if (this == POSTGRES) {
            return statement.bindArray("ids", String.class, ids);
        }
        try {
            return statement.bind("ids", JSON.writeValueAsString(ids));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a list of strings as JSON", e);
        }
    }

    /** True when the exception (or one of its causes) is a unique-constraint violation. */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                String msg = String.valueOf(sql.getMessage());
                if ("23505".equals(state) || msg.contains("UNIQUE constraint failed")) {
                    return true;
                }
            }
        }
        return false;
    }
}
