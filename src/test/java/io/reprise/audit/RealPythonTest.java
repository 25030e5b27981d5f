package io.reprise.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The tokenizer and parser on a large body of real Python: the mlflow 3 client's own sources. */
class RealPythonTest {
    @Test
    void everyModuleOfTheMlflowClientParses() throws Exception {
        Path venv = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3/lib");
        assumeThat(venv).as("scripts/python-env.sh mlflow3 creates it").isDirectory();
        Path mlflow;
        try (Stream<Path> versions = Files.list(venv)) {
            mlflow = versions.map(v -> v.resolve("site-packages/mlflow"))
                    .filter(Files::isDirectory)
                    .findFirst()
                    .orElseThrow();
        }
        List<String> failures = new ArrayList<>();
        int modules = 0;
        int calls = 0;
        try (Stream<Path> files = Files.walk(mlflow)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".py")).toList()) {
                modules++;
                try {
                    calls += PyParser.parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8))
                            .calls()
                            .size();
                } catch (PyTokenizer.SyntaxError e) {
                    failures.add(mlflow.relativize(f) + ":" + e.line + ": " + e.getMessage());
                }
            }
        }
        assertThat(modules).isGreaterThan(500);
        assertThat(failures).isEmpty();
        assertThat(calls).isGreaterThan(modules * 10);
    }
}
