package io.reprise.capture;

import io.reprise.capture.DependencyFile.Pinning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds dependency files in the working directory and each directory above it up to the repository
 * root, never the whole tree, so the cost does not grow with the repository.
 */
final class DependencyFiles {
    private static final Set<String> LOCKS =
            Set.of("uv.lock", "poetry.lock", "Pipfile.lock", "package-lock.json", "go.sum", "Cargo.lock");
    private static final Pattern REQUIREMENTS = Pattern.compile("requirements.*\\.txt");
    private static final Pattern CONDA_LOCK = Pattern.compile("conda-lock.*\\.ya?ml");
    private static final Pattern CONDA_ENV = Pattern.compile("environment\\.ya?ml");

    private DependencyFiles() {}

    static boolean isDependencyFile(String name) {
        return LOCKS.contains(name)
                || name.equals("pyproject.toml")
                || name.equals("pom.xml")
                || REQUIREMENTS.matcher(name).matches()
                || CONDA_LOCK.matcher(name).matches()
                || CONDA_ENV.matcher(name).matches();
    }

    /** Dependency files from {@code workDir} up to {@code root} (inclusive), nearest first. */
    static List<DependencyFile> find(Path workDir, Path root) {
        List<DependencyFile> found = new ArrayList<>();
        for (Path d = workDir; d != null && d.startsWith(root); d = d.getParent()) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(d, p -> isDependencyFile(name(p)))) {
                for (Path f : files) {
                    if (Files.isRegularFile(f)) {
                        found.add(describe(f, root.relativize(f).toString()));
                    }
                }
            } catch (IOException e) {
                // an unreadable directory has no files we can record
            }
        }
        return found;
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }

    static DependencyFile describe(Path file, String shownPath) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Verdict v = verdict(file, new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            return new DependencyFile(shownPath, sha256(bytes), bytes.length, v.pinning(), v.detail());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Verdict(Pinning pinning, String detail) {}

    static Verdict verdict(Path file, String text) {
        String name = name(file);
        if (LOCKS.contains(name) || CONDA_LOCK.matcher(name).matches()) {
            return new Verdict(Pinning.LOCKED, "lock file");
        }
        if (REQUIREMENTS.matcher(name).matches()) {
            return Requirements.verdict(text);
        }
        if (CONDA_ENV.matcher(name).matches()) {
            return CondaEnvironment.verdict(text);
        }
        if (name.equals("pom.xml")) {
            return mavenVerdict(text);
        }
        return pyprojectVerdict(file.getParent());
    }

    private static Verdict pyprojectVerdict(Path dir) {
        for (String lock : List.of("uv.lock", "poetry.lock", "pdm.lock")) {
            if (Files.exists(dir.resolve(lock))) {
                return new Verdict(Pinning.LOCKED, "resolved by " + lock);
            }
        }
        return new Verdict(
                Pinning.UNPINNED, "declares version ranges and no lock file (uv.lock, poetry.lock) is beside it");
    }

    private static final Pattern MAVEN_FLOATING =
            Pattern.compile("<version>\\s*([\\[(][^<]*|[^<]*-SNAPSHOT|LATEST|RELEASE)\\s*</version>");

    private static Verdict mavenVerdict(String pom) {
        var m = MAVEN_FLOATING.matcher(pom);
        return m.find()
                ? new Verdict(Pinning.UNPINNED, "floating version " + m.group(1).strip())
                : new Verdict(Pinning.PINNED, "exact versions; transitive ones follow Maven's nearest-wins rule");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
