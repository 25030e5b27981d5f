package io.reprise.audit;

import static io.reprise.audit.Reports.findings;
import static io.reprise.audit.Reports.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python the audit reads beyond .py files: f-string replacement fields and Jupyter notebooks. */
class NotebookAndFStringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void callsInsideFStringsAreFindings() {
        GitRepo.init(dir)
                .write("src/report.py", """
                        import mlflow
                        import numpy as np
                        from sklearn.ensemble import RandomForestClassifier

                        print(f"baseline noise: {np.random.rand():.3f}")
                        print(f"model: {RandomForestClassifier(n_estimators=100, random_state=cfg['seed'])!r}")
                        print(f"{{np.random.randn()}} is text, not a call")
                        """)
                .write("README.md", "# x\n")
                .commitAll("f-strings");
        JsonNode report = reprise("audit", dir.toString(), "--format", "json").json();
        assertThat(findings(report))
                .contains("seed.numpy src/report.py:5", "config.hardcoded-hyperparameter src/report.py:6")
                .doesNotContain("seed.numpy src/report.py:7")
                .noneMatch(f -> f.startsWith("seed.sklearn-random-state"));
    }

    /** A notebook as Jupyter writes it: one JSON string per source line, indented by one space. */
    private static String notebook(List<List<String>> cells) throws Exception {
        ObjectNode nb = JSON.createObjectNode();
        ArrayNode array = nb.putArray("cells");
        for (List<String> cell : cells) {
            ObjectNode c = array.addObject();
            boolean markdown = cell.get(0).startsWith("# ");
            c.put("cell_type", markdown ? "markdown" : "code");
            c.putObject("metadata");
            ArrayNode source = c.putArray("source");
            for (int i = 0; i < cell.size(); i++) {
                source.add(cell.get(i) + (i + 1 < cell.size() ? "\n" : ""));
            }
            if (!markdown) {
                c.putNull("execution_count");
                c.putArray("outputs");
            }
        }
        nb.putObject("metadata").putObject("kernelspec").put("name", "python3");
        nb.put("nbformat", 4).put("nbformat_minor", 5);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(nb);
    }

    private GitRepo notebookProject() throws Exception {
        String nb = notebook(List.of(
                List.of("# Exploration", "random.seed(0) in markdown is not code"),
                List.of(
                        "%matplotlib inline",
                        "import numpy as np",
                        "!pip install lightgbm",
                        "answer = !echo it's done",
                        "t = %timeit -o np.ones(3)",
                        "import mlflow"),
                List.of("X = {\"a\": 1} and np.random.rand(100, 3)  # \\ escaped", "y = (X[:, 0] > 0.5)"),
                List.of("%%bash", "python -c 'import random; random.seed(1)'"),
                List.of("from sklearn.linear_model import SGDClassifier", "clf = SGDClassifier(alpha=0.01)"),
                List.of("print(f\"{np.random.randn()}\"", "broken = 'unterminated")));
        return GitRepo.init(dir)
                .write("notebooks/explore.ipynb", nb)
                .write("README.md", "# x\n")
                .commitAll("a notebook");
    }

    @Test
    void notebookFindingsNameTheCellAndLineInTextAndJson() throws Exception {
        notebookProject();
        Reports.Result text = reprise("audit", dir.toString(), "--limit", "100");
        assertThat(text.out())
                .contains("notebooks/explore.ipynb:cell 3:line 1  numpy.random.rand")
                .contains("notebooks/explore.ipynb:cell 5:line 2  ")
                .contains("notebooks/explore.ipynb:cell 6:line 2: not analysed, it does not parse"
                        + " (unterminated string literal)")
                .doesNotContain("cell 2:line");

        JsonNode report = reprise("audit", dir.toString(), "--format", "json").json();
        JsonNode rand = finding(report, "seed.numpy");
        assertThat(rand.path("file").asText()).isEqualTo("notebooks/explore.ipynb");
        assertThat(rand.path("notebook").path("cell").asInt()).isEqualTo(3);
        assertThat(rand.path("notebook").path("line").asInt()).isEqualTo(1);
        assertThat(rand.path("notebook").path("column").asInt()).isEqualTo(18);
        // line and column point at the code in the .ipynb file itself
        assertThat(textAt(rand)).startsWith("np.random.rand(100, 3)");
        JsonNode alpha = finding(report, "config.hardcoded-hyperparameter");
        assertThat(alpha.path("notebook").path("cell").asInt()).isEqualTo(5);
        assertThat(textAt(alpha)).startsWith("SGDClassifier(alpha=0.01)");
        // the markdown cell, the %%bash cell, the magics and the broken cell are not code
        assertThat(findings(report)).noneMatch(f -> f.startsWith("seed.random"));
        assertThat(report.path("warnings").toString()).contains("cell 6:line 2");
        // imports in one cell resolve names in the next, as in the kernel; mlflow is imported
        assertThat(findings(report)).noneMatch(f -> f.startsWith("tracking.logging") && f.contains("ipynb"));
    }

    @Test
    void notebookFindingsAreValidSarifPointingIntoTheNotebookFile() throws Exception {
        notebookProject();
        JsonNode sarif = JSON.readTree(
                reprise("audit", dir.toString(), "--format", "sarif").out());
        assertThat(AuditCommandTest.sarifSchema().validate(sarif)).isEmpty();
        JsonNode rand = null;
        for (JsonNode r : sarif.path("runs").get(0).path("results")) {
            if (r.path("ruleId").asText().equals("seed.numpy")) {
                rand = r;
            }
        }
        assertThat(rand).isNotNull();
        JsonNode location = rand.path("locations").get(0);
        assertThat(location.path("message").path("text").asText()).isEqualTo("cell 3, line 1");
        JsonNode physical = location.path("physicalLocation");
        assertThat(physical.path("artifactLocation").path("uri").asText()).isEqualTo("notebooks/explore.ipynb");
        String line = Files.readAllLines(dir.resolve("notebooks/explore.ipynb"))
                .get(physical.path("region").path("startLine").asInt() - 1);
        assertThat(line.substring(physical.path("region").path("startColumn").asInt() - 1))
                .startsWith("np.random.rand(100, 3)");
        assertThat(rand.path("properties").path("notebookCell").asInt()).isEqualTo(3);
    }

    @Test
    void aFileThatIsNotANotebookIsAWarning() {
        GitRepo.init(dir)
                .write("broken.ipynb", "{\"cells\": [")
                .write("README.md", "# x\n")
                .commitAll("not a notebook");
        JsonNode report = reprise("audit", dir.toString(), "--format", "json").json();
        assertThat(report.path("warnings").get(0).asText())
                .startsWith("broken.ipynb: not analysed, it is not a readable notebook (");
    }

    private static JsonNode finding(JsonNode report, String rule) {
        for (JsonNode f : report.path("findings")) {
            if (f.path("rule").asText().equals(rule)) {
                return f;
            }
        }
        throw new AssertionError("no " + rule + " finding in " + findings(report));
    }

    private String textAt(JsonNode finding) throws Exception {
        String line = Files.readAllLines(dir.resolve(finding.path("file").asText()))
                .get(finding.path("line").asInt() - 1);
        return line.substring(finding.path("column").asInt() - 1);
    }
}
