package io.reprise.store;

import java.sql.SQLException;

/** The few places where SQLite and PostgreSQL need different SQL or error handling. */
enum Dialect {
    SQLITE("classpath:db/sqlite"),
    POSTGRES("classpath:db/postgres");

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
