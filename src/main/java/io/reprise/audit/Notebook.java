package io.reprise.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Jupyter notebook's code, as one Python source: its code cells one after the other, so that an
 * import in the first cell resolves names in the others (as the kernel runs them). Each line of that
 * source knows where it is in the notebook (cell, line in the cell) and in the .ipynb file itself (the
 * line and column of the JSON string that holds it), for findings a person and a SARIF viewer can follow.
 * IPython magics ({@code %...}, {@code !...}, and assigned: {@code files = !ls}) are blanked; a cell magic ({@code %%bash}...) makes the
 * cell not Python; a cell that does not tokenize is skipped with a warning.
 */
final class Notebook {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern MAGIC = Pattern.compile("^\\s*([\\w.]+(\\s*,\\s*[\\w.]+)*\\s*=\\s*)?[%!]");
    /** Cell magics whose body is Python. */
    private static final Pattern PYTHON_CELL_MAGIC = Pattern.compile("%%(time|timeit|capture|prun)\\b");

    private static final Pattern QUESTION = Pattern.compile("^\\s*\\??[\\w.]+\\?{1,2}\\s*$"); // obj? obj??

    /**
     * Where one line of the joined source is.
     *
     * @param cell 1-based position of the cell in the notebook (markdown cells counted)
     * @param cellLine 1-based line within the cell
     * @param jsonLine 1-based line of the .ipynb file holding the line's text
     * @param jsonColumn 1-based column of the line's first character in the .ipynb file
     * @param escapes the JSON text of the line from its first character (to map columns)
     */
    record Place(int cell, int cellLine, int jsonLine, int jsonColumn, String escapes) {}

    /** A notebook cell location, for a finding. */
    record Cell(int cell, int line, int column) {
        @Override
        public String toString() {
            return "cell " + cell + ":line " + line;
        }
    }

    private final String source;
    private final List<Place> places;
    private final List<String> warnings;

    private Notebook(String source, List<Place> places, List<String> warnings) {
        this.source = source;
        this.places = places;
        this.warnings = warnings;
    }

    /** The joined code cells, one line per line of {@link #places}. */
    String source() {
        return source;
    }

    List<String> warnings() {
        return warnings;
    }

    /**
     * A line and column of {@link #source()} as a place in the notebook.
     *
     * @return null when out of range
     */
    Place place(int line) {
        return line >= 1 && line <= places.size() ? places.get(line - 1) : null;
    }

    /** The 1-based column in the .ipynb file of the {@code column}-th character of the source line. */
    static int jsonColumn(Place p, int column) {
        if (column <= 1) {
            return p.jsonColumn();
        }
        String raw = p.escapes();
        int i = 0;
        for (int decoded = 1; decoded < column && i < raw.length(); decoded++) {
            if (raw.charAt(i) == '\\' && i + 1 < raw.length()) {
                i += raw.charAt(i + 1) == 'u' ? 6 : 2;
            } else {
                i++;
            }
        }
        return p.jsonColumn() + i;
    }

    /**
     * Reads a notebook (nbformat 4: {@code cells[].source} a string or a list of lines).
     *
     * @throws IOException when it is not JSON or not a notebook
     */
    static Notebook read(String path, String json) throws IOException {
        String[] jsonLines = json.split("\r\n|\r|\n", -1);
        StringBuilder source = new StringBuilder();
        List<Place> places = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a notebook (no top-level object)");
            }
            boolean sawCells = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("cells") && value == JsonToken.START_ARRAY) {
                    sawCells = true;
                    int cell = 0;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        cell++;
                        List<Line> lines = cell(p, jsonLines);
                        if (lines != null) {
                            append(path, cell, lines, source, places, warnings);
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!sawCells) {
                throw new IOException("not a notebook (no cells)");
            }
        }
        return new Notebook(source.toString(), List.copyOf(places), List.copyOf(warnings));
    }

    /** One line of a cell's source and where its text starts in the JSON. */
    private record Line(String text, int jsonLine, int jsonColumn, String escapes) {}

    /** A cell object, parser at its START_OBJECT: its source lines if it is a code cell, else null. */
    private static List<Line> cell(JsonParser p, String[] jsonLines) throws IOException {
        String type = null;
        List<Line> lines = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("cell_type") && value == JsonToken.VALUE_STRING) {
                type = p.getText();
            } else if (field.equals("source") && value == JsonToken.VALUE_STRING) {
                lines.addAll(split(p, jsonLines));
            } else if (field.equals("source") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    lines.addAll(split(p, jsonLines));
                }
            } else {
                p.skipChildren();
            }
        }
        return "code".equals(type) ? lines : null;
    }

    /** A source string (one or more lines) at the parser's current token. */
    private static List<Line> split(JsonParser p, String[] jsonLines) throws IOException {
        String text = p.getText();
        int jsonLine = p.currentTokenLocation().getLineNr();
        int column = p.currentTokenLocation().getColumnNr() + 1; // after the opening quote
        String raw = jsonLines[jsonLine - 1].substring(Math.min(column - 1, jsonLines[jsonLine - 1].length()));
        List<Line> out = new ArrayList<>();
        // a string holding several lines ("a\nb") maps them all to its own JSON line
        for (String line : text.split("\r\n|\r|\n", -1)) {
            out.add(new Line(line, jsonLine, column, out.isEmpty() ? raw : ""));
        }
        if (text.endsWith("\n") || text.endsWith("\r")) {
            out.remove(out.size() - 1); // ["a\n", "b"]: the next element starts the next line
        }
        return out;
    }

    private static void append(
            String path, int cell, List<Line> lines, StringBuilder source, List<Place> places, List<String> warnings) {
        String first = lines.isEmpty() ? "" : lines.get(0).text().strip();
        if (first.startsWith("%%") && !PYTHON_CELL_MAGIC.matcher(first).lookingAt()) {
            return; // %%bash, %%sql...: the cell is not Python
        }
        StringBuilder code = new StringBuilder();
        for (Line l : lines) {
            boolean ipython =
                    MAGIC.matcher(l.text()).find() || QUESTION.matcher(l.text()).matches();
            code.append(ipython ? "" : l.text()).append('\n');
        }
        try {
            PyTokenizer.tokenize(code.toString());
        } catch (PyTokenizer.SyntaxError e) {
            warnings.add(path + ":cell " + cell + ":line " + e.line + ": not analysed, it does not parse ("
                    + e.getMessage() + ")");
            code.setLength(0);
            lines.forEach(l -> code.append('\n'));
        }
        source.append(code);
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            places.add(new Place(cell, i + 1, l.jsonLine(), l.jsonColumn(), l.escapes()));
        }
    }
}
