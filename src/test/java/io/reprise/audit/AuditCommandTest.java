package io.reprise.audit;

import static io.reprise.audit.Reports.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.reprise.testing.GitRepo;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user runs it: output formats, the CI gate, and one-line errors. */
class AuditCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema sarifSchema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws Exception {
        sarifSchema = sarifSchema();
    }

    /** The official OASIS SARIF 2.1.0 schema (errata 01), vendored from oasis-tcs/sarif-spec. */
    static JsonSchema sarifSchema() throws java.io.IOException {
        try (InputStream in = AuditCommandTest.class.getResourceAsStream("sarif-schema-2.1.0.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    @Test
    void sarifOutputValidatesAgainstTheSarif210Schema() throws Exception {
        GitRepo.init(dir)
                .write(AuditFixturesTest.naive())
                .write("src/with space.py", "from sklearn.svm import SVC\nSVC(C=1.0)\n")
                .commitAll("fixture");
        Reports.Result r = reprise("audit", dir.toString(), "--format", "sarif");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode sarif = JSON.readTree(r.out());
        Set<ValidationMessage> errors = sarifSchema.validate(sarif);
        assertThat(errors).isEmpty();

        JsonNode run = sarif.path("runs").get(0);
        assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
        assertThat(run.path("tool").path("driver").path("name").asText()).isEqualTo("reprise-audit");
        JsonNode hardcoded = null;
        for (JsonNode res : run.path("results")) {
            if (res.path("ruleId").asText().equals("config.hardcoded-hyperparameter")
                    && res.toString().contains("with%20space.py")) {
                hardcoded = res;
            }
        }
        assertThat(hardcoded)
                .as("a result for the file with a space in its name")
                .isNotNull();
        JsonNode location = hardcoded.path("locations").get(0).path("physicalLocation");
        assertThat(location.path("artifactLocation").path("uri").asText()).isEqualTo("src/with%20space.py");
        assertThat(location.path("region").path("startLine").asInt()).isEqualTo(2);
        assertThat(hardcoded.path("level").asText()).isEqualTo("warning");
        int index = hardcoded.path("ruleIndex").asInt();
        assertThat(run.path("tool")
                        .path("driver")
                        .path("rules")
                        .get(index)
                        .path("id")
                        .asText())
                .isEqualTo("config.hardcoded-hyperparameter");
        assertThat(run.path("originalUriBaseIds").path("%SRCROOT%").path("uri").asText())
                .startsWith("file:///")
                .endsWith("/");
        assertThat(run.path("properties").path("score").asInt())
                .isEqualTo(JSON.readTree(reprise("audit", dir.toString(), "--format", "json")
                                .out())
                        .path("score")
                        .asInt());
    }

    @Test
    void theSchemaCheckWouldCatchAnInvalidLog() throws Exception {
        GitRepo.init(dir).write(AuditFixturesTest.naive()).commitAll("fixture");
        ObjectNode sarif = (ObjectNode) JSON.readTree(
                reprise("audit", dir.toString(), "--format", "sarif").out());
        ((ObjectNode) sarif.path("runs").get(0).path("results").get(0)).put("level", "fatal");
        assertThat(sarifSchema.validate(sarif)).isNotEmpty();
    }

    @Test
    void textOutputShowsScoreLevelAndAPrioritisedList() {
        GitRepo.init(dir).write(AuditFixturesTest.naive()).commitAll("fixture");
        Reports.Result r = reprise("audit", dir.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .startsWith("reprise audit: ")
                .contains("score 14/100, level 0 (Chaos): held back by")
                .contains("to fix, biggest score gain first:")
                .contains("  1.  +9.0  high   requirements.txt:1  'numpy>=1.2' is not pinned")
                .contains("why: Unpinned dependencies")
                .contains("fix: Pin every requirement")
                .contains("team evidence       -  weight 20  (with --tracking-uri)")
                .contains("next: level 1 (Aware): every category at 40% or more");
    }

    @Test
    void failUnderIsACiGate() {
        GitRepo.init(dir).write(AuditFixturesTest.naive()).commitAll("fixture");
        Reports.Result below = reprise("audit", dir.toString(), "--fail-under", "50");
        assertThat(below.exitCode()).isEqualTo(1);
        assertThat(below.err()).isEqualTo("reprise audit: score 14 is below --fail-under 50\n");
        assertThat(reprise("audit", dir.toString(), "--fail-under", "14").exitCode())
                .isZero();
    }

    @Test
    void badArgumentsAreOneLineWithAHint() throws Exception {
        Reports.Result missing = reprise("audit", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().lines()).hasSize(2);
        assertThat(missing.err()).startsWith("reprise audit: no such folder: ").contains("Hint: ");

        Path plain = Files.createDirectory(dir.resolve("plain"));
        Reports.Result notRepo = reprise("audit", plain.toString());
        assertThat(notRepo.exitCode()).isEqualTo(2);
        assertThat(notRepo.err())
                .isEqualTo("reprise audit: " + plain.toRealPath() + " is not inside a git repository\nHint: run the"
                        + " audit in a git work tree (or 'git init' it first); it reads what git tracks\n");

        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertThat(reprise("audit", file.toString()).err()).startsWith("reprise audit: " + file + " is not a folder");

        Reports.Result range = reprise("audit", dir.toString(), "--fail-under", "101");
        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err()).startsWith("reprise audit: --fail-under must be between 0 and 100, got 101");

        Reports.Result format = reprise("audit", dir.toString(), "--format", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err())
                .contains("--format")
                .contains("text, json or sarif")
                .hasLineCount(2);

        Reports.Result uri = reprise("audit", dir.toString(), "--tracking-uri", "ftp://x");
        assertThat(uri.exitCode()).isEqualTo(2);
        assertThat(uri.err()).startsWith("reprise audit: --tracking-uri must be http(s)://HOST:PORT");

        Reports.Result experiment = reprise("audit", dir.toString(), "--experiment", "x");
        assertThat(experiment.exitCode()).isEqualTo(2);
        assertThat(experiment.err()).startsWith("reprise audit: --experiment needs --tracking-uri");
    }

    @Test
    void anUnreachableServerIsExitCode3() throws Exception {
        GitRepo.init(dir).write("README.md", "# x\n").commitAll("fixture");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Reports.Result r = reprise("audit", dir.toString(), "--tracking-uri", "http://127.0.0.1:" + port);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err())
                .startsWith("reprise audit: cannot reach the tracking server at http://127.0.0.1:" + port)
                .contains("Hint: check --tracking-uri");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpDescribesTheCommand() {
        Reports.Result r = reprise("audit", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .startsWith("Usage: reprise audit")
                .contains("--fail-under")
                .contains("--tracking-uri")
                .contains("Exit codes:");
    }
}
