package io.reprise.reproduce;

import io.reprise.capture.CaptureException;
import io.reprise.capture.PinnedEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A plain command's recorded Python environment: when the interpreter the command would run under now
 * has other packages than the record, the environment is rebuilt from the pinned requirements file the
 * run recorded ({@code pip install -r}, cached by content hash with MLproject environments) and the
 * command reruns in it; when it cannot be, what differs is said. MLprojects are left to their
 * python_env, which {@code reprise run} rebuilds itself.
 */
final class EnvRebuild {
    /** What the rerun uses. */
    record Result(List<String> argv, Map<String, String> env) {}

    private static final Pattern PYTHON = Pattern.compile("python[0-9.]*");
    private static final Pattern REQUIREMENTS = Pattern.compile("requirements.*\\.txt");
    private static final Map<String, String> LOCK_TOOLS =
            Map.of("uv.lock", "uv", "poetry.lock", "poetry", "Pipfile.lock", "pipenv");
    private static final int SHOWN = 12;

    private final PinnedEnvironment builder;
    private final Consumer<String> say;

    EnvRebuild(Map<String, String> env, PrintStream err, Consumer<String> say) {
        this.builder = new PinnedEnvironment(env, err);
        this.say = say;
    }

    /** Stops a build under way (Ctrl-C). */
    void stop() {
        builder.stop();
    }

    /**
     * The command line and environment to rerun with; {@code rebuild} false (--no-env-rebuild) only
     * checks. Notes for the report go to {@code notes}. Throws {@link CaptureException} STOPPED.
     */
    Result apply(
            RunRecord r, Path checkout, Path workDir, Map<String, String> env, boolean rebuild, List<String> notes) {
        List<String> argv = r.argv();
        Result same = new Result(argv, env);
        if (r.isProject() || argv.isEmpty() || !r.python().path("packages").isArray()) {
            return same;
        }
        Optional<Path> python = PinnedEnvironment.interpreter(argv, workDir, env)
                .or(() -> PinnedEnvironment.onPath("python3", workDir, env))
                .or(() -> PinnedEnvironment.onPath("python", workDir, env));
        if (python.isEmpty()) {
            say.accept("no Python interpreter found for the command: packages not checked");
            return same;
        }
        List<String> changes;
        try {
            changes = Causes.packageChanges(
                    r.packages(), RunRecord.packages(PinnedEnvironment.packages(python.get(), workDir, env)));
        } catch (IllegalStateException e) {
            say.accept("cannot list the packages of " + python.get() + ": " + e.getMessage());
            return same;
        }
        boolean differs = changes.stream().anyMatch(c -> !c.contains(" added ("));
        if (!differs) {
            say.accept("the current interpreter " + python.get() + " has the recorded packages"
                    + (changes.isEmpty() ? "" : " (and more: " + shown(changes) + ")") + ": running in it");
            return same;
        }
        String what = "the current interpreter " + python.get() + " differs from the record: " + shown(changes);
        if (!rebuild) {
            return keep(same, what + "; not rebuilt (--no-env-rebuild): running in the current environment", notes);
        }
        Optional<RunRecord.FileDigest> file = r.dependencies().stream()
                .filter(f -> REQUIREMENTS
                        .matcher(Path.of(f.path()).getFileName().toString())
                        .matches())
                .filter(f -> f.pinning().equals("pinned") || f.pinning().equals("locked"))
                .findFirst();
        if (file.isEmpty()) {
            return keep(same, what + "; " + whyNot(r, workDir, env) + ": running in the current environment", notes);
        }
        String path = file.get().path();
        String version = r.python().path("version").asText("");
        try {
            Path inCheckout = checkout.resolve(path).normalize();
            if (!inCheckout.startsWith(checkout)
                    || !Files.isRegularFile(inCheckout)
                    || !Reproducer.sha256(Files.readAllBytes(inCheckout))
                            .equals(file.get().sha256())) {
                return keep(
                        same,
                        what + "; " + path + " in the checkout is not the recorded one (sha256 differs): not"
                                + " rebuilt, running in the current environment",
                        notes);
            }
        } catch (IOException e) {
            return keep(same, what + "; cannot read " + path + ": " + e.getMessage(), notes);
        }
        if (version.isEmpty()) {
            return keep(same, what + "; the record has no Python version to rebuild with", notes);
        }
        say.accept(what);
        say.accept("rebuilding it from " + path + " (pip install -r on Python " + version
                + ", cached by content hash; --no-env-rebuild keeps the current environment)");
        PinnedEnvironment.Built venv;
        try {
            venv = builder.prepare(checkout, path, version);
        } catch (CaptureException e) {
            if (e.kind() == CaptureException.Kind.STOPPED) {
                throw e;
            }
            return keep(
                    same,
                    "cannot rebuild the environment from " + path + ": " + e.getMessage()
                            + "; running in the current environment",
                    notes);
        }
        String where = (venv.cached() ? "the cached" : "a new") + " environment " + venv.dir() + " (Python "
                + venv.python() + ", built from " + path + ")";
        say.accept("running in " + where);
        notes.add("ran in " + where + ": the current interpreter differed from the record");
        return new Result(activated(argv, venv.dir()), activated(env, venv.dir()));
    }

    private Result keep(Result same, String message, List<String> notes) {
        say.accept(message);
        notes.add(message);
        return same;
    }

    /** Why no file can be rebuilt from: lock files need their tool, which may be missing here. */
    private static String whyNot(RunRecord r, Path workDir, Map<String, String> env) {
        List<String> reasons = new ArrayList<>();
        for (RunRecord.FileDigest f : r.dependencies()) {
            String name = Path.of(f.path()).getFileName().toString();
            String tool = LOCK_TOOLS.get(name);
            if (tool != null) {
                reasons.add(
                        PinnedEnvironment.onPath(tool, workDir, env).isPresent()
                                ? "rebuilding from " + f.path()
                                        + " is not supported yet (only pinned requirements files)"
                                : "cannot rebuild from " + f.path() + ": " + tool + " is not installed here");
            } else if (REQUIREMENTS.matcher(name).matches()) {
                reasons.add(f.path() + " is not fully pinned (" + (f.pinning().isEmpty() ? "unknown" : f.pinning())
                        + "): rebuilding from it would not give the recorded versions");
            }
        }
        return reasons.isEmpty()
                ? "the run recorded no pinned requirements or lock file to rebuild from"
                : String.join("; ", reasons);
    }

    /** A python command runs the environment's own interpreter; others find it first on PATH. */
    private static List<String> activated(List<String> argv, Path venv) {
        if (!PYTHON.matcher(Path.of(argv.get(0)).getFileName().toString()).matches()) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv);
        out.set(0, venv.resolve("bin/python").toString());
        return out;
    }

    /** What {@code source bin/activate} does. */
    private static Map<String, String> activated(Map<String, String> env, Path venv) {
        Map<String, String> out = new HashMap<>(env);
        out.put("PATH", venv.resolve("bin") + File.pathSeparator + env.getOrDefault("PATH", ""));
        out.put("VIRTUAL_ENV", venv.toString());
        out.remove("PYTHONHOME");
        return out;
    }

    /** Changed and missing packages first (they are why), then those the current interpreter has in addition. */
    private static String shown(List<String> all) {
        List<String> changes = new ArrayList<>(all);
        changes.sort(java.util.Comparator.comparing(c -> c.contains(" added (")));
        return changes.size() <= SHOWN
                ? String.join(", ", changes)
                : String.join(", ", changes.subList(0, SHOWN)) + " and " + (changes.size() - SHOWN) + " more";
    }
}
