package io.reprise.capture;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code reprise/manifest.json}: everything a run depended on, in one versioned document. The schema
 * is documented in docs/capture-manifest.md; bump {@link #SCHEMA_VERSION} on any incompatible change.
 */
@JsonPropertyOrder({"schema_version", "reprise_version", "run", "command"})
record Manifest(
        int schemaVersion,
        String repriseVersion,
        Run run,
        Command command,
        Project project,
        Git git,
        List<DependencyFile> dependencies,
        List<ConfigFile> configs,
        PythonEnv python,
        SystemInfo system,
        Map<String, String> environment,
        Data data,
        List<String> artifacts,
        List<String> warnings) {

    static final int SCHEMA_VERSION = 2;
    static final String PATH = "reprise/manifest.json";

    /** The MLflow run and how it ended. Times are epoch milliseconds. */
    record Run(
            String runId,
            String experimentId,
            String trackingUri,
            String status,
            int exitCode,
            long startTime,
            long endTime,
            long durationMs) {}

    /** What was run, where, by whom. */
    record Command(List<String> argv, String line, String workdir, String workdirInRepo, String user, Long seed) {}

    /**
     * The MLproject entry point that was run (schema 2): parameters as substituted, unquoted, with
     * paths made absolute; {@code extra_parameters} are those the entry point does not declare.
     */
    record Project(
            String name,
            String dir,
            String file,
            String fileSha256,
            String entryPoint,
            String commandTemplate,
            Map<String, String> parameters,
            Map<String, String> extraParameters,
            ProjectEnvironment environment) {}

    /**
     * The environment the project declared and the one it ran in: {@code created} is true when
     * reprise built it (a python_env virtualenv), false when the command ran in the current one.
     */
    record ProjectEnvironment(
            String type,
            String file,
            String sha256,
            String image,
            String manager,
            boolean created,
            String pythonRequested,
            String python,
            String path,
            String cacheKey,
            Boolean cached) {}

    /** The git state; {@code diff_artifact} is set when tracked files were modified. */
    record Git(
            String commit,
            String branch,
            boolean detached,
            String remoteUrl,
            boolean dirty,
            List<String> changedFiles,
            String diffArtifact,
            String diffSha256,
            List<UntrackedFile> untracked) {}

    /** An untracked, non-ignored file; {@code saved} when a copy is under reprise/untracked/. */
    record UntrackedFile(String path, long size, boolean saved) {}

    /** DVC-tracked data and the one-line version of all of it. */
    record Data(String version, List<DataInput> inputs) {}
}
