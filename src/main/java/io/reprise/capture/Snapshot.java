package io.reprise.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything read from disk before the command starts, since the command may change it: git state,
 * dependency and config files, DVC metadata, and copies of small files to log as artifacts.
 *
 * @param git null outside a git work tree
 * @param root the repository root, or the working directory outside git
 * @param dvcFiles DVC metadata file (relative path) → content
 * @param artifacts artifact path → bytes to upload
 * @param savedUntracked untracked files whose copy is among the artifacts
 */
record Snapshot(
        GitState git,
        Path root,
        List<DependencyFile> dependencies,
        List<ConfigFile> configs,
        Map<String, String> dvcFiles,
        Map<String, byte[]> artifacts,
        Set<String> savedUntracked,
        List<String> warnings) {

    static final String DIFF = "reprise/git/diff.patch";
    // Untracked files worth keeping are sources and small configs, not data: cap them hard.
    static final long UNTRACKED_FILE_CAP = 256 * 1024;
    static final long UNTRACKED_TOTAL_CAP = 4 * 1024 * 1024;
    static final int UNTRACKED_COUNT_CAP = 100;
    static final long DEPENDENCY_FILE_CAP = 2 * 1024 * 1024;
    static final int DIFF_CAP = 32 * 1024 * 1024;

    static Snapshot take(RunSpec spec) {
        List<String> warnings = new ArrayList<>();
        GitState git = null;
        try {
            git = EarlyStart.gitState(spec.workDir(), spec.env())
                    .orElseGet(() -> new GitProbe(spec.workDir(), spec.env()).probe());
        } catch (CaptureException e) {
            warnings.add(e.getMessage());
        }
        Path root = git == null ? spec.workDir() : Path.of(git.root());
        Map<String, byte[]> artifacts = new LinkedHashMap<>();
        Set<String> saved = git == null ? Set.of() : saveUntracked(root, git.untracked(), artifacts);
        if (git != null && git.dirty()) {
            artifacts.put(DIFF, diff(git.diff(), warnings));
        }
        List<DependencyFile> deps = DependencyFiles.find(spec.workDir(), root);
        for (DependencyFile d : deps) {
            if (d.size() <= DEPENDENCY_FILE_CAP) {
                artifacts.put("reprise/deps/" + d.path(), read(root.resolve(d.path())));
            }
        }
        List<ConfigFile> configs = configs(spec.configs(), root, artifacts);
        Map<String, String> dvc = dvcFiles(git, root, warnings);
        return new Snapshot(git, root, deps, configs, dvc, artifacts, saved, warnings);
    }

    // A modified large binary makes a huge --binary patch; keep a readable head of it instead.
    private static byte[] diff(String diff, List<String> warnings) {
        byte[] bytes = diff.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= DIFF_CAP) {
            return bytes;
        }
        warnings.add("git diff is " + bytes.length + " bytes; only the first " + DIFF_CAP + " were saved");
        return java.util.Arrays.copyOf(bytes, DIFF_CAP);
    }

    private static Set<String> saveUntracked(Path root, List<GitState.Untracked> files, Map<String, byte[]> out) {
        Set<String> saved = new HashSet<>();
        long total = 0;
        for (GitState.Untracked u : files) {
            if (saved.size() >= UNTRACKED_COUNT_CAP) {
                break;
            }
            if (u.size() >= 0 && u.size() <= UNTRACKED_FILE_CAP && total + u.size() <= UNTRACKED_TOTAL_CAP) {
                out.put("reprise/untracked/" + u.path(), read(root.resolve(u.path())));
                saved.add(u.path());
                total += u.size();
            }
        }
        return saved;
    }

    private static List<ConfigFile> configs(List<Path> files, Path root, Map<String, byte[]> artifacts) {
        List<ConfigFile> out = new ArrayList<>();
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            String shown = abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
            String artifact = "reprise/config/" + (abs.startsWith(root) ? shown : abs.getFileName());
            byte[] bytes = read(abs);
            artifacts.put(artifact, bytes);
            out.add(new ConfigFile(shown, DependencyFiles.sha256(bytes), bytes.length, artifact));
        }
        return out;
    }

    private static Map<String, String> dvcFiles(GitState git, Path root, List<String> warnings) {
        List<String> names = new ArrayList<>();
        if (git != null) {
            names.addAll(git.dvcFiles());
        } else {
            // Outside git there is no index to ask, and walking the tree is too slow: look here only.
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "{*.dvc,dvc.lock}")) {
                ds.forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                warnings.add("cannot list " + root + ": " + e.getMessage());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names.stream().sorted().toList()) {
            Path p = root.resolve(n);
            if (Files.isRegularFile(p)) {
                out.put(n, new String(read(p), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            return new byte[0]; // vanished between listing and reading
        }
    }

    /** The working directory relative to the root ("." at the root). */
    String workdirIn(Path workDir) {
        String rel = root.relativize(workDir).toString();
        return rel.isEmpty() ? "." : rel;
    }
}
