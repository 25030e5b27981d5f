package io.reprise.capture;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The run tags and params Reprise sets: MLflow's standard {@code mlflow.*} tags where one exists (so
 * the MLflow UI shows them), its own under {@code reprise.*}. Everything here is also in the manifest.
 */
final class Tags {
    private static final int MAX_VALUE = 5000; // well under MLflow's 8000-char tag limit

    private Tags() {}

    /** Tags known before anything runs, sent with create-run. */
    static Map<String, String> atCreate(RunSpec spec, String user) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("mlflow.user", user);
        ProjectRun p = spec.project();
        if (p == null) {
            t.put("mlflow.source.type", "LOCAL");
            t.put("mlflow.source.name", sourceName(spec.command()));
        } else { // as mlflow run tags a project run
            t.put("mlflow.source.type", "PROJECT");
            t.put("mlflow.source.name", cut(p.project().dir().toString()));
            t.put("mlflow.project.entryPoint", cut(p.command().entryPoint()));
            t.put("mlflow.project.env", p.envTag());
        }
        t.put("reprise.command", cut(CommandLine.quote(spec.command())));
        return t;
    }

    /**
     * The code state, also sent with create-run: a server policy may require the commit (and a
     * clean tree) before it accepts the run at all.
     */
    static Map<String, String> git(GitState g) {
        Map<String, String> t = new LinkedHashMap<>();
        if (g != null) {
            putIf(t, "mlflow.source.git.commit", g.commit());
            putIf(t, "mlflow.source.git.branch", g.branch());
            putIf(t, "mlflow.source.git.repoURL", g.remoteUrl());
            t.put("reprise.git.dirty", String.valueOf(g.dirty()));
            t.put("reprise.git.detached", String.valueOf(g.detached()));
            t.put("reprise.git.untracked", String.valueOf(g.untracked().size()));
        }
        return t;
    }

    /** Tags from the pre-run snapshot, logged while the command runs. */
    static Map<String, String> fromSnapshot(
            RunSpec spec, Snapshot s, List<DataInput> data, Map<String, String> environment) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("reprise.workdir", s.workdirIn(spec.workDir()));
        t.putAll(git(s.git()));
        if (!s.dependencies().isEmpty()) {
            t.put("reprise.deps.pinning", overallPinning(s.dependencies()));
            t.put(
                    "reprise.deps.files",
                    cut(s.dependencies().stream()
                            .map(d -> d.path() + " (" + d.pinning().label() + ")")
                            .collect(Collectors.joining(", "))));
        }
        if (!s.configs().isEmpty()) {
            t.put("reprise.config.sha256", joined(s.configs(), ConfigFile::sha256));
        }
        environment.forEach((k, v) -> t.put("reprise.env." + k, cut(v)));
        if (!data.isEmpty()) {
            t.put("reprise.data_version", DvcFiles.summary(data));
        }
        return t;
    }

    static Map<String, String> params(RunSpec spec, Snapshot s) {
        Map<String, String> p = new LinkedHashMap<>();
        if (spec.project() != null) {
            p.putAll(spec.project().command().logged());
        }
        if (spec.seed() != null) {
            p.put("seed", String.valueOf(spec.seed()));
        }
        if (!s.configs().isEmpty()) {
            p.put("config", joined(s.configs(), ConfigFile::path));
        }
        return p;
    }

    /** Tags known once the command has ended. */
    static Map<String, String> atEnd(Manifest m) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("reprise.exit_code", String.valueOf(m.run().exitCode()));
        t.put("reprise.duration_ms", String.valueOf(m.run().durationMs()));
        if (m.python() != null) {
            t.put("reprise.python.version", m.python().version());
            t.put("reprise.python.executable", cut(m.python().executable()));
        }
        SystemInfo sys = m.system();
        if (sys != null) {
            t.put("reprise.os", sys.os());
            t.put("reprise.kernel", sys.kernel());
            putIf(t, "reprise.cpu", sys.cpuModel());
            t.put("reprise.cores", String.valueOf(sys.cores()));
            if (sys.memoryBytes() > 0) {
                t.put("reprise.memory_gb", String.format(java.util.Locale.ROOT, "%.1f", sys.memoryBytes() / 1e9));
            }
            if (!sys.gpus().isEmpty()) {
                t.put("reprise.gpu", cut(String.join("; ", sys.gpus())));
            }
        }
        t.put("reprise.manifest", Manifest.PATH);
        return t;
    }

    /** The best verdict wins: one lock file fixes the environment whatever else lies beside it. */
    static String overallPinning(List<DependencyFile> deps) {
        return deps.stream()
                .map(DependencyFile::pinning)
                .min(Comparator.naturalOrder())
                .orElseThrow()
                .label();
    }

    /** What MLflow shows as the run's source: the script for Python commands, else the program. */
    static String sourceName(List<String> command) {
        return command.stream()
                .skip(1)
                .filter(a -> a.endsWith(".py"))
                .findFirst()
                .orElse(command.get(0));
    }

    private static <T> String joined(List<T> items, java.util.function.Function<T, String> f) {
        return cut(items.stream().map(f).collect(Collectors.joining(",")));
    }

    private static void putIf(Map<String, String> t, String key, String value) {
        if (value != null) {
            t.put(key, cut(value));
        }
    }

    private static String cut(String v) {
        return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE - 3) + "...";
    }
}
