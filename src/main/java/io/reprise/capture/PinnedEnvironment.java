package io.reprise.capture;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For {@code reprise reproduce}: the Python environment a plain command ran in, rebuilt from the
 * pinned requirements file the run recorded, with the same builder and content-hash cache as an
 * MLproject's python_env ({@link VirtualEnvs}), and the probe that tells what an interpreter has.
 */
public final class PinnedEnvironment {
    /**
     * A built (or cached) environment.
     *
     * @param dir what VIRTUAL_ENV points at
     * @param python the Python version it runs
     * @param cacheKey the content hash it is cached under
     * @param cached whether an earlier run had built it
     */
    public record Built(Path dir, String python, String cacheKey, boolean cached) {}

    private final VirtualEnvs envs;

    public PinnedEnvironment(Map<String, String> env, PrintStream err) {
        this.envs = new VirtualEnvs(env, err);
    }

    /**
     * {@code pip install -r requirementsFile} (relative to {@code root}) into a venv of Python {@code
     * pythonVersion}, or the one cached for the same file contents and interpreter; throws {@link
     * CaptureException} (ENVIRONMENT: no such interpreter, pip failed; STOPPED).
     */
    public Built prepare(Path root, String requirementsFile, String pythonVersion) {
        Venv v = envs.prepareRequirements(root, requirementsFile, pythonVersion);
        return new Built(v.dir(), v.python(), v.cacheKey(), v.cached());
    }

    /** Stops a build under way from another thread; the half-built environment is removed. */
    public void stop() {
        envs.stop();
    }

    /** The interpreter {@code argv} runs under (itself, or a script's shebang), if it is a Python command. */
    public static Optional<Path> interpreter(List<String> argv, Path workDir, Map<String, String> env) {
        return argv.isEmpty() ? Optional.empty() : PythonProbe.interpreter(argv, workDir, env);
    }

    /** A program found as execvp finds it: a path with a slash as is, else the first hit on PATH. */
    public static Optional<Path> onPath(String program, Path workDir, Map<String, String> env) {
        return PythonProbe.resolve(program, workDir, env);
    }

    /** The interpreter's installed distributions as freeze lines ({@code name==version}), as the manifest records them. */
    public static List<String> packages(Path python, Path workDir, Map<String, String> env) {
        return PythonProbe.probe(python, workDir, env).packages();
    }
}
