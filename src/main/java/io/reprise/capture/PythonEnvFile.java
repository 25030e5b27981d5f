package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A python_env.yaml, as MLflow's {@code _PythonEnv.from_yaml} reads it: {@code python} (a string),
 * {@code build_dependencies} and {@code dependencies} (lists of pip requirement lines).
 */
record PythonEnvFile(String file, String python, List<String> buildDependencies, List<String> dependencies) {
    private static final Set<String> KEYS = Set.of("python", "build_dependencies", "dependencies");

    static PythonEnvFile read(Path projectDir, String file) {
        String text = new String(MlProject.read(projectDir.resolve(file), file), StandardCharsets.UTF_8);
        Map<String, Object> yaml = MlProject.mapping(MlProject.parse(text, file), file);
        for (String k : yaml.keySet()) {
            if (!KEYS.contains(k)) {
                throw invalid(file, "unknown key '" + k + "'", "keys: python, build_dependencies, dependencies");
            }
        }
        Object python = yaml.get("python");
        if (!(python instanceof String version)) {
            // MLflow needs a string too: unquoted, 3.10 would be the number 3.1
            throw invalid(
                    file,
                    python == null ? "no python version" : "python must be a string, got " + PyYaml.str(python),
                    "write python: \"3.11\" (quoted)");
        }
        return new PythonEnvFile(
                file, version, list(yaml.get("build_dependencies"), file), list(yaml.get("dependencies"), file));
    }

    private static List<String> list(Object o, String file) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> l)) {
            throw invalid(file, "dependencies must be lists", "e.g. dependencies: [\"six==1.16.0\"]");
        }
        List<String> out = new ArrayList<>();
        l.forEach(x -> out.add(PyYaml.str(x)));
        return List.copyOf(out);
    }

    private static CaptureException invalid(String file, String why, String hint) {
        return new CaptureException(Kind.USAGE, "invalid " + file + ": " + why, hint);
    }
}
