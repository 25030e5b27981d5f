package io.reprise.audit;

/**
 * Something to fix.
 *
 * @param file relative path (forward slashes) of the file it is about, or null for the repository
 * @param line 1-based line in {@code file}, 0 when none (in a notebook: the line of the .ipynb file)
 * @param column 1-based column, 0 when none
 * @param message what is wrong, here
 * @param fix how to fix this one
 * @param cell in a notebook, the cell and the line and column within it; null elsewhere
 */
record Finding(Rule rule, String file, int line, int column, String message, String fix, Notebook.Cell cell) {
    Finding(Rule rule, String file, int line, int column, String message, String fix) {
        this(rule, file, line, column, message, fix, null);
    }

    static Finding at(Rule rule, String file, int line, String message) {
        return new Finding(rule, file, line, 0, message, rule.fix());
    }

    static Finding at(Rule rule, String file, int line, String message, String fix) {
        return new Finding(rule, file, line, 0, message, fix);
    }

    /** "file:line", "nb.ipynb:cell 3:line 2", "file" or "." for the repository. */
    String location() {
        if (file == null) {
            return ".";
        }
        if (cell != null) {
            return file + ":" + cell;
        }
        return line > 0 ? file + ":" + line : file;
    }
}
