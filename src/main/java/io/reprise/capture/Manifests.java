package io.reprise.capture;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds the {@link Manifest} of a finished run and renders it. */
final class Manifests {
    private Manifests() {}

    static Manifest build(
            CapturedRun r,
            Manifest.Run run,
            PythonEnv python,
            SystemInfo system,
            List<String> artifacts,
            List<String> warnings) {
        RunSpec spec = r.spec();
        Snapshot s = r.snapshot();
        Manifest.Command command = new Manifest.Command(
                spec.command(),
                CommandLine.quote(spec.command()),
                spec.workDir().toString(),
                s.workdirIn(spec.workDir()),
                spec.env().getOrDefault("MLFLOW_TRACKING_USERNAME", System.getProperty("user.name")),
                spec.seed());
        List<DataInput> inputs = r.data();
        Manifest.Data data = inputs.isEmpty() ? null : new Manifest.Data(DvcFiles.summary(inputs), inputs);
        return new Manifest(
                Manifest.SCHEMA_VERSION,
                version(),
                run,
                command,
                spec.project() == null ? null : spec.project().manifest(),
                git(s),
                s.dependencies(),
                s.configs(),
                python,
                system,
                r.recordedEnvironment(),
                data,
                artifacts.stream().sorted().toList(),
                warnings);
    }

    private static Manifest.Git git(Snapshot s) {
        GitState g = s.git();
        if (g == null) {
            return null;
        }
        List<Manifest.UntrackedFile> untracked = g.untracked().stream()
                .map(u -> new Manifest.UntrackedFile(
                        u.path(), u.size(), s.savedUntracked().contains(u.path())))
                .toList();
        return new Manifest.Git(
                g.commit(),
                g.branch(),
                g.detached(),
                g.remoteUrl(),
                g.dirty(),
                g.changed(),
                g.dirty() ? Snapshot.DIFF : null,
                g.dirty() ? DependencyFiles.sha256(g.diff().getBytes(StandardCharsets.UTF_8)) : null,
                untracked);
    }

    static String version() {
        String v = Manifests.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static byte[] json(Manifest m) {
        return (JsonText.write(m, true) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
