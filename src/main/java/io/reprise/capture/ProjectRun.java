package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MLproject entry point to run: the project, its command with parameters substituted, and the
 * environment it runs in.
 *
 * @param envManager {@code virtualenv} (a python_env is built and cached) or {@code local}
 * @param venv the environment built for it; null until built, and for {@code local}
 */
record ProjectRun(MlProject project, ProjectCommand command, String envManager, Venv venv) {
    static final String LOCAL = "local";
    static final String VIRTUALENV = "virtualenv";

    /** Reads the project and resolves the entry point's command; throws {@link CaptureException} (USAGE). */
    static ProjectRun resolve(
            Path projectDir,
            Path cwd,
            String entry,
            List<String> paramArgs,
            String envManager,
            Map<String, String> env) {
        MlProject project = MlProject.load(projectDir);
        Map<String, String> user = parseParams(paramArgs);
        ProjectCommand command = ProjectCommand.compute(project.entryPoint(entry, env), user, cwd);
        return new ProjectRun(project, command, manager(project.env(), envManager), null);
    }

    /** MLflow's {@code -P name=value}: split at the first '=', a name at most once. */
    static Map<String, String> parseParams(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new CaptureException(
                        Kind.USAGE, "invalid format for -P parameter: '" + a + "'", "use -P name=value");
            }
            if (out.putIfAbsent(a.substring(0, eq), a.substring(eq + 1)) != null) {
                throw new CaptureException(
                        Kind.USAGE, "repeated parameter: '" + a.substring(0, eq) + "'", "give each -P name once");
            }
        }
        return out;
    }

    /**
     * Which environment manager runs it. Only python_env environments are created here; conda and
     * docker environments are refused unless the user asks to run in the current one, so a record
     * never claims an environment the run did not have.
     */
    private static String manager(ProjectEnv env, String requested) {
        if (requested != null && !requested.equals(LOCAL) && !requested.equals(VIRTUALENV)) {
            throw new CaptureException(
                    Kind.USAGE,
                    "unsupported --env-manager '" + requested + "'",
                    "use 'virtualenv' (creates the project's python_env) or 'local' (the current environment)");
        }
        return switch (env) {
            case ProjectEnv.Python p -> requested == null ? VIRTUALENV : requested;
            case ProjectEnv.None n -> LOCAL;
            case ProjectEnv.Conda c -> refuseUnlessLocal(requested, "conda_env (" + c.file() + ")");
            case ProjectEnv.Docker d -> refuseUnlessLocal(requested, "docker_env (image " + d.image() + ")");
        };
    }

    private static String refuseUnlessLocal(String requested, String what) {
        if (LOCAL.equals(requested)) {
            return LOCAL;
        }
        throw new CaptureException(
                Kind.USAGE,
                "the MLproject declares " + what + ", which reprise run does not create",
                "pass --env-manager local to run in the current environment (recorded as such), or use 'mlflow run'");
    }

    ProjectRun withVenv(Venv v) {
        return new ProjectRun(project, command, envManager, v);
    }

    /** Whether a virtual environment must be built (or found in the cache) before running. */
    boolean needsVenv() {
        return envManager.equals(VIRTUALENV) && project.env() instanceof ProjectEnv.Python && venv == null;
    }

    /** The {@code mlflow.project.env} tag: what MLflow calls the environment it ran in. */
    String envTag() {
        return envManager;
    }

    Manifest.Project manifest() {
        ProjectEnv env = project.env();
        String file = switch (env) {
            case ProjectEnv.Python p -> p.file();
            case ProjectEnv.Conda c -> c.file();
            default -> null;
        };
        String sha = file == null
                ? null
                : DependencyFiles.sha256(MlProject.read(project.dir().resolve(file), file));
        Manifest.ProjectEnvironment e = new Manifest.ProjectEnvironment(
                env.type(),
                file,
                sha,
                env instanceof ProjectEnv.Docker d ? d.image() : null,
                envManager,
                venv != null,
                venv == null ? null : venv.requested(),
                venv == null ? null : venv.python(),
                venv == null ? null : venv.dir().toString(),
                venv == null ? null : venv.cacheKey(),
                venv == null ? null : venv.cached());
        return new Manifest.Project(
                project.name(),
                project.dir().toString(),
                project.file(),
                project.sha256(),
                command.entryPoint(),
                command.template(),
                command.parameters(),
                command.extra(),
                e);
    }
}
