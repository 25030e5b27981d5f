package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An open DVC repository: its folders, config, cache, state and the outputs its .dvc files track. */
final class Repo implements AutoCloseable {
    static final String DVC_DIR = ".dvc";

    final Path root;
    final Path dvcDir;
    final Path cwd;
    final DvcConfig config;
    final ObjectDb cache;
    /** The DVC 2.x cache layout in the same folder; 2.x outputs (md5 without "hash: md5") live there. */
    final ObjectDb legacyCache;

    final StateDb state;
    final DirMemo dirMemo;
    final Linker linker;
    final int jobs;
    private List<Tracked> tracked;

    private Repo(Path root, Path cwd, int jobs) {
        this.root = root;
        this.dvcDir = root.resolve(DVC_DIR);
        this.cwd = cwd;
        this.config = DvcConfig.load(dvcDir);
        this.cache = new ObjectDb(config.cacheDir());
        this.legacyCache = ObjectDb.legacy(config.cacheDir());
        this.state = StateDb.open(dvcDir.resolve("tmp"));
        this.dirMemo = new DirMemo(dvcDir.resolve("tmp"));
        this.linker = new Linker(config.linkTypes());
        this.jobs = jobs;
    }

    static Repo open(Path cwd, int jobs) {
        Path abs = cwd.toAbsolutePath().normalize();
        for (Path p = abs; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(DVC_DIR))) {
                return new Repo(p, abs, jobs);
            }
        }
        throw new DataException("You are not inside a DVC repository (no .dvc folder in " + abs
                + " or above); run 'reprise data init' first.");
    }

    /** The git work tree to maintain .gitignore entries in, or null (no git, or core.no_scm). */
    Git git() {
        return config.noScm() ? null : Git.find(root);
    }

    /** A path as the user should see it: relative to where they ran the command. */
    String show(Path p) {
        Path rel = cwd.relativize(p.toAbsolutePath().normalize());
        String s = rel.toString().replace('\\', '/');
        return s.isEmpty() ? "." : s;
    }

    /** Path relative to the repo root, {@code /}-separated. */
    String rel(Path p) {
        return root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    Path resolve(String userPath) {
        return cwd.resolve(userPath).toAbsolutePath().normalize();
    }

    /** The ignore rules in force inside {@code dir}: defaults plus every .dvcignore from the root down. */
    IgnoreRules rulesAt(Path dir) throws IOException {
        IgnoreRules rules = IgnoreRules.defaults().with(root, "");
        Path rel = root.relativize(dir.toAbsolutePath().normalize());
        Path current = root;
        for (Path part : rel) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part);
            rules = rules.with(current, rel(current));
        }
        return rules;
    }

    /** Every output tracked by a .dvc file, found by walking the repo (tracked folders are not entered). */
    List<Tracked> allTracked() {
        if (tracked == null) {
            tracked = trackedOutside(Set.of());
        }
        return tracked;
    }

    /** As {@link #allTracked()}, without walking into {@code skip} (folders about to be listed anyway). */
    List<Tracked> trackedOutside(Set<Path> skip) {
        List<Tracked> found = new ArrayList<>();
        try {
            walkForDvcFiles(root, IgnoreRules.defaults().with(root, ""), skip, found);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root + ": " + e.getMessage(), e);
        }
        found.sort((a, b) -> DirManifest.CODE_POINT_ORDER.compare(rel(a.file()), rel(b.file())));
        return found;
    }

    private void walkForDvcFiles(Path dir, IgnoreRules rules, Set<Path> skip, List<Tracked> out) throws IOException {
        List<Path> subdirs = new ArrayList<>();
        Set<Path> outputs = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                String rel = rel(child);
                boolean isDir = Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (rules.ignored(rel, isDir)) {
                    continue;
                }
                if (isDir) {
                    subdirs.add(child);
                } else if ((rel.endsWith(DvcFile.SUFFIX) || isLock(child)) && Files.isRegularFile(child)) {
                    for (Tracked t : isLock(child) ? loadLock(child) : load(child)) {
                        out.add(t);
                        outputs.add(t.path());
                    }
                }
            }
        }
        for (Path sub : subdirs) {
            if (!outputs.contains(sub) && !skip.contains(sub)) {
                walkForDvcFiles(sub, rules.with(sub, rel(sub)), skip, out);
            }
        }
    }

    /** The cache that holds an output's objects: the 3.x one, or the 2.x one for a 2.x entry. */
    ObjectDb cacheFor(Output o) {
        return o.legacy() ? legacyCache : cache;
    }

    /**
     * The outputs the .dvc and dvc.lock files of git commit {@code sha} record, read from git; paths
     * are where they would be in this work tree. (.dvcignore rules are not applied at a revision.)
     */
    List<Tracked> trackedAt(Git git, String sha) {
        Map<String, String> files = git.filesAt(sha, root, rel -> {
            String name = rel.substring(rel.lastIndexOf('/') + 1);
            return !rel.startsWith(DVC_DIR + "/")
                    && (rel.endsWith(DvcFile.SUFFIX) || name.equals(LockFile.NAME) || name.equals(LockFile.PIPELINE));
        });
        String at = " at " + sha.substring(0, Math.min(7, sha.length()));
        List<Tracked> found = new ArrayList<>();
        List<String> names = new ArrayList<>(files.keySet());
        names.sort(DirManifest.CODE_POINT_ORDER);
        for (String rel : names) {
            Path file = root.resolve(rel);
            if (rel.endsWith(DvcFile.SUFFIX)) {
                found.addAll(outputsOf(DvcFile.parse(file, files.get(rel), rel + at), rel + at));
            } else if (isLock(file)) {
                String yamlRel = rel.substring(0, rel.length() - LockFile.NAME.length()) + LockFile.PIPELINE;
                found.addAll(LockFile.parse(file, files.get(rel), files.get(yamlRel), rel + at));
            }
        }
        return found;
    }

    /** The outputs of one .dvc file. */
    List<Tracked> load(Path dvcPath) {
        return outputsOf(DvcFile.load(dvcPath, show(dvcPath)), show(dvcPath));
    }

    static List<Tracked> outputsOf(DvcFile f, String shown) {
        List<Tracked> out = new ArrayList<>();
        List<Output> outs = f.outputs(shown);
        Path wdir = f.file().getParent().resolve(f.wdir()).normalize();
        for (int i = 0; i < outs.size(); i++) {
            out.add(new Tracked(
                    f.file(),
                    null,
                    f,
                    i,
                    outs.get(i),
                    wdir.resolve(outs.get(i).path()).normalize()));
        }
        return out;
    }

    private static boolean isLock(Path p) {
        return p.getFileName().toString().equals(LockFile.NAME);
    }

    /** The outputs of the pipeline stages a dvc.lock records. */
    private List<Tracked> loadLock(Path lock) throws IOException {
        Path yaml = lock.resolveSibling(LockFile.PIPELINE);
        String yamlText = Files.isRegularFile(yaml) ? Files.readString(yaml) : null;
        return LockFile.parse(lock, Files.readString(lock), yamlText, show(lock));
    }

    /**
     * The outputs the user's targets name: a .dvc file, a tracked path, or a folder holding .dvc files.
     * No targets: all of them.
     */
    List<Tracked> select(List<String> targets) {
        if (targets.isEmpty()) {
            return allTracked();
        }
        List<Tracked> out = new ArrayList<>();
        for (String target : targets) {
            Path p = resolve(target);
            List<Tracked> matched = new ArrayList<>();
            for (Tracked t : allTracked()) {
                Path file = t.file().toAbsolutePath().normalize();
                boolean pipeline =
                        t.fromLock() && file.resolveSibling(LockFile.PIPELINE).equals(p);
                if (file.equals(p) || pipeline || t.path().equals(p) || (Files.isDirectory(p) && file.startsWith(p))) {
                    matched.add(t);
                }
            }
            if (matched.isEmpty()) {
                throw new DataException("'" + target + "' is not tracked by any .dvc file here; track it with"
                        + " 'reprise data add " + target + "'.");
            }
            matched.stream().filter(t -> !out.contains(t)).forEach(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        state.close();
        dirMemo.close();
    }
}
