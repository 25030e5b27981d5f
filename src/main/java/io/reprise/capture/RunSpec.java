package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code reprise run} was asked to do, with defaults taken from the environment as the MLflow
 * client takes them.
 *
 * @param command the command and its arguments
 * @param workDir the real path of the directory it runs in
 * @param env the environment it runs with (before Reprise adds MLFLOW_RUN_ID etc.)
 * @param trackingUri the tracking server (http or https)
 * @param experiment experiment name; null means MLFLOW_EXPERIMENT_ID or the Default experiment
 * @param runName null lets the server pick one
 * @param seed null when no seed was given
 * @param configs config files to record
 * @param project the MLproject entry point being run; null for a plain command
 */
public record RunSpec(
        List<String> command,
        Path workDir,
        Map<String, String> env,
        URI trackingUri,
        String experiment,
        String runName,
        Long seed,
        List<Path> configs,
        ProjectRun project) {

    public RunSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        configs = List.copyOf(configs);
    }

    /**
     * Resolves options against the environment; throws {@link CaptureException} (USAGE) for what
     * would make the run fail, before anything is started.
     */
    public static RunSpec of(
            List<String> command,
            Path workDir,
            Map<String, String> env,
            String trackingUri,
            String experiment,
            String runName,
            Long seed,
            List<Path> configs) {
        String uri = trackingUri != null ? trackingUri : env.get("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            throw new CaptureException(
                    Kind.USAGE,
                    "no tracking server given",
                    "pass --tracking-uri http://HOST:5000 or export MLFLOW_TRACKING_URI (start one with 'reprise server')");
        }
        String exp = experiment != null ? experiment : env.get("MLFLOW_EXPERIMENT_NAME");
        Path dir = realPath(workDir);
        List<Path> files = configs.stream().map(dir::resolve).toList();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CaptureException(Kind.USAGE, "config file not found: " + f, "check the --config path");
            }
        }
        return new RunSpec(command, dir, env, httpUri(uri), exp, runName, seed, files, null);
    }

    /**
     * An MLproject entry point: the command comes from the MLproject in {@code projectDir} and runs
     * there with {@code bash -c}, as {@code mlflow run} runs it. Path parameters and config files
     * are relative to {@code cwd}, where reprise was started.
     */
    public static RunSpec ofProject(
            Path projectDir,
            Path cwd,
            String entryPoint,
            List<String> params,
            String envManager,
            Map<String, String> env,
            String trackingUri,
            String experiment,
            String runName,
            Long seed,
            List<Path> configs) {
        Path dir = projectDir(projectDir);
        Path here = realPath(cwd);
        ProjectRun project = ProjectRun.resolve(dir, here, entryPoint, params, envManager, env);
        List<Path> files = configs.stream().map(here::resolve).toList();
        RunSpec plain = of(
                List.of("bash", "-c", project.command().command()),
                dir,
                env,
                trackingUri,
                experiment,
                runName,
                seed,
                files);
        return plain.with(project, env);
    }

    private static Path projectDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CaptureException(
                    Kind.USAGE,
                    "project directory not found: " + dir,
                    "reprise run [-e ENTRY] [-P NAME=VALUE]... [PROJECT_DIR], or reprise run -- CMD");
        }
        return realPath(dir);
    }

    /** The same run, recorded on another tracking server (an offline run's private one). */
    RunSpec withTrackingUri(URI uri) {
        return new RunSpec(command, workDir, env, uri, experiment, runName, seed, configs, project);
    }

    /** The same run of {@code project} (e.g. once its environment is built) with {@code env}. */
    RunSpec with(ProjectRun p, Map<String, String> e) {
        return new RunSpec(command, workDir, e, trackingUri, experiment, runName, seed, configs, p);
    }

    static URI httpUri(String uri) {
        URI u;
        try {
            u = URI.create(uri.strip());
        } catch (IllegalArgumentException e) {
            throw new CaptureException(Kind.USAGE, "invalid tracking URI '" + uri + "'", "use http://HOST:PORT");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new CaptureException(
                    Kind.USAGE,
                    "reprise needs a tracking server over http(s), got '" + uri + "'",
                    "start one with 'reprise server' and pass --tracking-uri http://127.0.0.1:5000");
        }
        return u;
    }

    static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new CaptureException(Kind.USAGE, "working directory not found: " + dir, "", e);
        }
    }

    /** The tracking URI without credentials, safe to record. */
    String shownTrackingUri() {
        return GitProbe.withoutCredentials(trackingUri.toString());
    }
}
