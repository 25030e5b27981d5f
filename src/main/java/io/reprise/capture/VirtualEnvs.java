package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Builds the virtual environment a python_env.yaml describes, as MLflow's virtualenv manager does
 * ({@code python -m venv}, then {@code pip install} of build_dependencies, then dependencies, from the
 * project directory), and caches it by the content of python_env.yaml, the requirement files it
 * names and the interpreter used.
 *
 * <p>A venv cannot be moved once built (its scripts name their own path), so it is built in place
 * under a unique name and published by creating the symlink {@code envs/<key>} to it, which is
 * atomic: a build that fails or is killed is never published, and is removed.
 */
final class VirtualEnvs {
    private final Path root;
    private final Map<String, String> env;
    private final PrintStream err;
    private volatile Process current;
    private volatile boolean stopped;

    VirtualEnvs(Map<String, String> env, PrintStream err) {
        this.env = env;
        this.err = err;
        this.root = cacheRoot(env).resolve("envs");
    }

    /** {@code $REPRISE_CACHE}, else {@code $XDG_CACHE_HOME/reprise}, else {@code ~/.cache/reprise}. */
    static Path cacheRoot(Map<String, String> env) {
        if (env.get("REPRISE_CACHE") != null && !env.get("REPRISE_CACHE").isBlank()) {
            return Path.of(env.get("REPRISE_CACHE"));
        }
        if (env.get("XDG_CACHE_HOME") != null && !env.get("XDG_CACHE_HOME").isBlank()) {
            return Path.of(env.get("XDG_CACHE_HOME"), "reprise");
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "reprise");
    }

    /** The cached environment for the project's python_env, built first if needed. */
    Venv prepare(Path projectDir, String envFile) {
        PythonEnvFile spec = PythonEnvFile.read(projectDir, envFile);
        PythonFinder.Found python = PythonFinder.find(spec.python(), env, projectDir);
        List<String> lines = new ArrayList<>(spec.buildDependencies());
        lines.addAll(spec.dependencies());
        String key = key(projectDir, projectDir.resolve(spec.file()), lines, python, "");
        return cached(
                projectDir,
                spec.file(),
                List.of(spec.buildDependencies(), spec.dependencies()),
                python,
                key,
                spec.python());
    }

    /**
     * The cached environment a pinned requirements file describes ({@code pip install -r FILE} from
     * {@code dir}), on an interpreter of {@code pythonVersion}: how {@code reprise reproduce} rebuilds
     * a plain command's recorded environment. Keyed like python_env's, in the same cache.
     */
    Venv prepareRequirements(Path dir, String requirementsFile, String pythonVersion) {
        PythonFinder.Found python = PythonFinder.find(pythonVersion, env, dir, "the run's record");
        List<String> lines = List.of("-r " + requirementsFile);
        String key = key(dir, null, lines, python, "requirements\0");
        return cached(dir, requirementsFile, List.of(lines), python, key, pythonVersion);
    }

    private Venv cached(
            Path projectDir,
            String file,
            List<List<String>> installs,
            PythonFinder.Found python,
            String key,
            String requested) {
        if (python.warning() != null) {
            err.println("reprise: warning: " + python.warning());
        }
        Path link = root.resolve(key);
        if (usable(link)) {
            err.println("reprise: using the cached Python " + python.version() + " environment " + link);
            return new Venv(realPath(link), python.version(), requested, key, true);
        }
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(
                    root.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.lock(); // one build per environment, a parallel run waits; released on close
                if (!usable(link)) {
                    Files.deleteIfExists(link); // a broken link: its interpreter is gone
                    build(projectDir, file, installs, python, link, key);
                    return new Venv(realPath(link), python.version(), requested, key, false);
                }
            }
        } catch (IOException e) {
            throw new CaptureException(
                    Kind.ENVIRONMENT, "cannot create the Python environment: " + e.getMessage(), "", e);
        }
        return new Venv(realPath(link), python.version(), requested, key, true);
    }

    private void build(
            Path projectDir, String file, List<List<String>> installs, PythonFinder.Found python, Path link, String key)
            throws IOException {
        Path dir = root.resolve(key + "." + UUID.randomUUID().toString().substring(0, 8));
        err.println("reprise: creating a Python " + python.version() + " environment for " + file
                + " (cached for later runs) in " + dir);
        boolean published = false;
        try {
            step(List.of(python.executable().toString(), "-m", "venv", dir.toString()), projectDir, "python -m venv");
            for (List<String> deps : installs) {
                if (!deps.isEmpty()) {
                    pipInstall(dir, projectDir, deps);
                }
            }
            Files.createSymbolicLink(link, dir.getFileName()); // relative: the cache can move
            published = true;
        } catch (FileAlreadyExistsException e) {
            published = false; // another run published one meanwhile; use it
        } finally {
            if (!published) {
                deleteTree(dir);
            }
        }
    }

    /**
     * pip runs in a scratch directory holding links to the project's files, as MLflow does, so that
     * {@code -r requirements.txt} and local paths resolve against the project without writing in it.
     */
    private void pipInstall(Path venv, Path projectDir, List<String> deps) throws IOException {
        Path scratch = Files.createTempDirectory("reprise-pip-");
        try {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(projectDir)) {
                for (Path p : ds) {
                    Files.createSymbolicLink(scratch.resolve(p.getFileName()), p);
                }
            }
            String reqs = "requirements." + UUID.randomUUID().toString().replace("-", "") + ".txt";
            Files.writeString(scratch.resolve(reqs), String.join("\n", deps) + "\n");
            step(
                    List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "-r", reqs),
                    scratch,
                    "pip install");
        } finally {
            deleteTree(scratch);
        }
    }

    /** Runs one build step with its output on our stderr (pip's progress), stoppable by {@link #stop()}. */
    private void step(List<String> cmd, Path dir, String what) throws IOException {
        if (stopped) {
            throw new CaptureException(Kind.STOPPED, "stopped before the command started", "");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PIP_NO_INPUT", "1");
        pb.environment().remove("PYTHONHOME");
        pb.environment().remove("VIRTUAL_ENV");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        current = p;
        try (InputStream in = p.getInputStream()) {
            in.transferTo(err);
            int code = p.waitFor();
            if (stopped) {
                throw new CaptureException(Kind.STOPPED, "stopped before the command started", "");
            }
            if (code != 0) {
                throw new CaptureException(
                        Kind.ENVIRONMENT,
                        "cannot create the project's Python environment: " + what + " failed (exit " + code + ")",
                        "see its output above; fix the python_env file or its requirements, or pass --env-manager local");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CaptureException(Kind.STOPPED, "stopped before the command started", "", e);
        } finally {
            current = null;
        }
    }

    /** Stops a build under way; the half-built environment is removed. */
    void stop() {
        stopped = true;
        Process p = current;
        if (p != null) {
            p.destroy();
        }
    }

    private static boolean usable(Path link) {
        return Files.isExecutable(link.resolve("bin/python"));
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The cache key: the environment file (python_env.yaml, if any), every requirement or constraint
     * file its lines name (recursively), and the interpreter. A change to any of them builds a new
     * environment; {@code kind} keeps keys of different kinds of environment apart.
     */
    private static String key(
            Path projectDir, Path envFile, List<String> lines, PythonFinder.Found python, String kind) {
        MessageDigest md = sha256();
        md.update(kind.getBytes(StandardCharsets.UTF_8));
        List<Path> files = new ArrayList<>();
        if (envFile != null) {
            files.add(envFile);
        }
        Requirements.referencedFiles(lines, projectDir, files, 0);
        for (Path f : files) {
            md.update((projectDir.relativize(f.normalize()) + "\0").getBytes(StandardCharsets.UTF_8));
            try {
                md.update(Files.readAllBytes(f));
            } catch (IOException e) {
                md.update("<missing>".getBytes(StandardCharsets.UTF_8)); // pip will say what is wrong
            }
            md.update((byte) 0);
        }
        md.update((python.executable() + "\0" + python.version()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest()).substring(0, 20);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) { // walk does not follow links: a link is deleted, not its target
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left for the next build to ignore: it is never published
        }
    }
}
