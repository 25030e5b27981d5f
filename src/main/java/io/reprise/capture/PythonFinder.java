package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds an interpreter for the Python version a python_env.yaml asks for. Nothing is installed: the
 * exact version is taken from pyenv's versions or from {@code pythonX.Y}, {@code python3} and
 * {@code python} on PATH; failing that, the same minor version with another patch level, with a
 * warning; a different minor version is refused, since packages and results may differ.
 */
final class PythonFinder {
    /** An interpreter and its full version; {@code warning} is set when the version is not the one asked for. */
    record Found(Path executable, String version, String warning) {}

    private static final String VERSION_SCRIPT =
            "import sys,platform;print(platform.python_version());print(sys.executable)";

    private PythonFinder() {}

    static Found find(String requested, Map<String, String> env, Path workDir) {
        return find(requested, env, workDir, "python_env.yaml");
    }

    /** {@code asker} names what asks for the version in messages: python_env.yaml, the run's record. */
    static Found find(String requested, Map<String, String> env, Path workDir, String asker) {
        if (!requested.matches("[0-9]+(\\.[0-9]+){1,2}")) {
            throw new CaptureException(
                    Kind.USAGE, asker + " asks for Python '" + requested + "'", "write python: \"3.11\" or \"3.11.7\"");
        }
        List<Found> found = candidates(requested, env, workDir);
        String minor = minor(requested);
        Optional<Found> exact = found.stream()
                .filter(f -> f.version().equals(requested)
                        || (requested.equals(minor) && minor(f.version()).equals(minor)))
                .findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        Optional<Found> near =
                found.stream().filter(f -> minor(f.version()).equals(minor)).findFirst();
        if (near.isPresent()) {
            Found f = near.get();
            return new Found(
                    f.executable(),
                    f.version(),
                    asker + " asks for Python " + requested + "; using " + f.version() + " (" + f.executable()
                            + "), the nearest found: results may differ");
        }
        throw new CaptureException(
                Kind.ENVIRONMENT,
                asker + " asks for Python " + requested + ", which was not found (found: "
                        + (found.isEmpty()
                                ? "none"
                                : String.join(
                                        ", ",
                                        found.stream()
                                                .map(Found::version)
                                                .distinct()
                                                .toList()))
                        + ")",
                "install Python " + minor + " (e.g. pyenv install " + requested + ") or run in the current"
                        + " environment with --env-manager local");
    }

    private static List<Found> candidates(String requested, Map<String, String> env, Path workDir) {
        List<Found> out = new ArrayList<>();
        // pyenv's versions are named by their version: no need to run them to know it.
        Path pyenv = env.containsKey("PYENV_ROOT")
                ? Path.of(env.get("PYENV_ROOT"))
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".pyenv");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(pyenv.resolve("versions"))) {
            for (Path v : ds) {
                Path exe = v.resolve("bin/python");
                String name = v.getFileName().toString();
                if (name.matches("[0-9]+\\.[0-9]+\\.[0-9]+") && Files.isExecutable(exe)) {
                    out.add(new Found(exe, name, null));
                }
            }
        } catch (IOException e) {
            // no pyenv
        }
        out.sort((a, b) -> b.version().compareTo(a.version()));
        Set<String> names = new LinkedHashSet<>(List.of("python" + minor(requested), "python3", "python"));
        Set<Path> seen = new java.util.HashSet<>();
        for (String name : names) {
            Optional<Path> exe = PythonProbe.resolve(name, workDir, env);
            if (exe.isEmpty()) {
                continue;
            }
            Exec.Result r = Exec.run(
                    workDir, env, Duration.ofSeconds(20), List.of(exe.get().toString(), "-c", VERSION_SCRIPT));
            List<String> lines = r.stdout().lines().toList();
            if (r.ok() && lines.size() >= 2 && seen.add(Path.of(lines.get(1)))) {
                out.add(new Found(Path.of(lines.get(1)), lines.get(0).strip(), null));
            }
        }
        return out;
    }

    static String minor(String version) {
        String[] p = version.split("\\.", -1);
        return p.length < 2 ? version : p[0] + "." + p[1];
    }
}
