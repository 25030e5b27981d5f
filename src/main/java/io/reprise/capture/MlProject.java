package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An MLproject file read as {@code mlflow run} reads it (mlflow/projects/_project_spec.py).
 *
 * @param dir the project directory (real path)
 * @param file the MLproject file's name; null when the directory has none
 * @param sha256 of the MLproject file; null without one
 * @param name the project's name; null when not given
 * @param entryPoints by name, in file order
 */
record MlProject(
        Path dir, String file, String sha256, String name, Map<String, EntryPoint> entryPoints, ProjectEnv env) {

    private static final Set<String> ENV_KEYS = Set.of("python_env", "conda_env", "docker_env");

    /** An entry point: typed parameters and a command template with {@code {name}} placeholders. */
    record EntryPoint(String name, Map<String, Parameter> parameters, String command) {}

    /**
     * A declared parameter.
     *
     * @param type {@code string}, {@code float}, {@code path} or {@code uri} (others act as string, as in MLflow)
     * @param defaultValue the default as Python's {@code str()} renders it; null means required
     */
    record Parameter(String name, String type, String defaultValue) {}

    /** Reads the project in {@code dir}; throws {@link CaptureException} (USAGE) for an invalid one. */
    static MlProject load(Path dir) {
        String file = findFile(dir);
        Map<String, Object> yaml = Map.of();
        String sha = null;
        if (file != null) {
            byte[] bytes = read(dir.resolve(file), file);
            sha = DependencyFiles.sha256(bytes);
            yaml = mapping(parse(new String(bytes, StandardCharsets.UTF_8), file), file);
        }
        List<String> envKeys =
                yaml.keySet().stream().filter(ENV_KEYS::contains).sorted().toList();
        if (envKeys.size() > 1) {
            throw invalid(file, "it declares several environments (" + String.join(", ", envKeys) + ")", "keep one");
        }
        Object name = yaml.get("name");
        return new MlProject(
                dir, file, sha, name == null ? null : PyYaml.str(name), entryPoints(yaml, file), env(dir, yaml, file));
    }

    /** The entry point to run: a declared one, else a .py, .sh or .R file run directly, as MLflow allows. */
    EntryPoint entryPoint(String entry, Map<String, String> env) {
        EntryPoint declared = entryPoints.get(entry);
        if (declared != null) {
            return declared;
        }
        String ext = entry.contains(".") ? entry.substring(entry.lastIndexOf('.')) : "";
        String command = switch (ext) {
            case ".py" -> "python " + Shlex.quote(entry);
            case ".sh" -> env.getOrDefault("SHELL", "bash") + " " + Shlex.quote(entry);
            case ".R" -> "Rscript -e \"mlflow::mlflow_source('" + Shlex.quote(entry) + "')\" --args";
            default ->
                throw new CaptureException(
                        Kind.USAGE,
                        "no entry point '" + entry + "' in " + (file == null ? dir + " (no MLproject file)" : file)
                                + " and it is not a .py, .sh or .R script",
                        entryPoints.isEmpty()
                                ? "add an MLproject file, or run a command: reprise run -- CMD"
                                : "entry points: " + String.join(", ", entryPoints.keySet()));
        };
        return new EntryPoint(entry, Map.of(), command);
    }

    private static String findFile(Path dir) {
        // MLflow takes any file named MLproject in any case; MLproject.yaml is Reprise's addition.
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new CaptureException(Kind.USAGE, "cannot read project directory " + dir + ": " + e.getMessage(), "");
        }
        names.sort(null);
        for (String suffix : List.of("", ".yaml")) {
            for (String n : names) {
                if (n.toLowerCase(Locale.ROOT).equals("mlproject" + suffix) && Files.isRegularFile(dir.resolve(n))) {
                    return n;
                }
            }
        }
        return null;
    }

    private static Map<String, EntryPoint> entryPoints(Map<String, Object> yaml, String file) {
        Map<String, EntryPoint> out = new LinkedHashMap<>();
        Object eps = yaml.get("entry_points");
        if (eps == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : mapping(eps, file + ": entry_points").entrySet()) {
            String where = "entry point '" + e.getKey() + "'";
            Map<String, Object> ep = mapping(e.getValue(), file + ": " + where);
            if (!(ep.get("command") instanceof String command)) {
                throw invalid(
                        file,
                        where + (ep.get("command") == null ? " has no command" : "'s command is not a string"),
                        "write command: \"python train.py ...\" (quoted)");
            }
            Map<String, Parameter> params = new LinkedHashMap<>();
            Object ps = ep.get("parameters");
            if (ps != null) {
                mapping(ps, file + ": " + where + " parameters")
                        .forEach((k, v) -> params.put(k, parameter(k, v, file, where)));
            }
            out.put(e.getKey(), new EntryPoint(e.getKey(), params, command));
        }
        return out;
    }

    private static Parameter parameter(String name, Object yaml, String file, String where) {
        if (yaml instanceof String type) {
            return new Parameter(name, type, null);
        }
        if (yaml instanceof Map<?, ?> m) {
            Object type = m.containsKey("type") ? m.get("type") : "string";
            Object dflt = m.get("default");
            if (dflt instanceof Map || dflt instanceof List) {
                throw invalid(file, "parameter '" + name + "' of " + where + " has a non-scalar default", "");
            }
            return new Parameter(name, PyYaml.str(type), dflt == null ? null : PyYaml.str(dflt));
        }
        throw invalid(
                file,
                "parameter '" + name + "' of " + where + " must be a type or {type: ..., default: ...}",
                "e.g. alpha: {type: float, default: 0.1}");
    }

    private static ProjectEnv env(Path dir, Map<String, Object> yaml, String file) {
        if (yaml.get("docker_env") != null) {
            Map<String, Object> docker = mapping(yaml.get("docker_env"), file + ": docker_env");
            if (docker.get("image") == null) {
                throw invalid(file, "docker_env has no image", "add image: NAME");
            }
            return new ProjectEnv.Docker(PyYaml.str(docker.get("image")));
        }
        if (yaml.get("python_env") != null) {
            return new ProjectEnv.Python(envFile(dir, yaml.get("python_env"), "python_env"));
        }
        if (yaml.get("conda_env") != null) {
            return new ProjectEnv.Conda(envFile(dir, yaml.get("conda_env"), "conda_env"));
        }
        if (Files.isRegularFile(dir.resolve("python_env.yaml"))) {
            return new ProjectEnv.Python("python_env.yaml");
        }
        if (Files.isRegularFile(dir.resolve("conda.yaml"))) {
            return new ProjectEnv.Conda("conda.yaml");
        }
        return new ProjectEnv.None();
    }

    /** An environment file, which must lie inside the project directory. */
    private static String envFile(Path dir, Object value, String key) {
        String rel = PyYaml.str(value);
        Path p = dir.resolve(rel).normalize();
        try {
            if (!Files.isRegularFile(p)) {
                throw new CaptureException(
                        Kind.USAGE, "the MLproject's " + key + " file " + rel + " was not found in " + dir, "");
            }
            if (!p.toRealPath().startsWith(dir)) {
                throw new CaptureException(
                        Kind.USAGE, "the MLproject's " + key + " file " + rel + " lies outside the project", "");
            }
        } catch (IOException e) {
            throw new CaptureException(Kind.USAGE, "cannot read " + rel + ": " + e.getMessage(), "");
        }
        return dir.relativize(p).toString();
    }

    static Object parse(String text, String file) {
        try {
            return PyYaml.load(text);
        } catch (IllegalArgumentException e) {
            throw invalid(file, "it is not valid YAML: " + e.getMessage(), "");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapping(Object o, String where) {
        if (o == null) {
            return Map.of();
        }
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new CaptureException(Kind.USAGE, where + " must be a mapping", "");
    }

    static byte[] read(Path p, String shown) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new CaptureException(Kind.USAGE, "cannot read " + shown + ": " + e.getMessage(), "");
        }
    }

    private static CaptureException invalid(String file, String why, String hint) {
        return new CaptureException(Kind.USAGE, "invalid " + (file == null ? "MLproject" : file) + ": " + why, hint);
    }
}
