package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data versioning that reads and writes DVC 3.x repositories byte for byte: .dvc files, .dir
 * manifests, the cache and local remotes, .dvc/config and .gitignore entries. The public surface of
 * the {@code reprise data} commands.
 */
public final class DataRepo implements AutoCloseable {
    private static final String DVCIGNORE_TEMPLATE = """
            # Add patterns of files dvc should ignore, which could improve
            # the performance. Learn more at
            # https://dvc.org/doc/user-guide/dvcignore
            """;

    private final Repo repo;

    private DataRepo(Repo repo) {
        this.repo = repo;
    }

    /** Opens the repository containing {@code cwd}; {@code jobs} threads hash files (0: all cores). */
    public static DataRepo open(Path cwd, int jobs) {
        return new DataRepo(
                Repo.open(cwd, jobs > 0 ? jobs : Runtime.getRuntime().availableProcessors()));
    }

    /** What {@code init} created, and whether it staged them in git. */
    public record InitResult(Path root, boolean git) {}

    /** Creates what {@code dvc init} creates that matters: .dvc/config, .dvc/.gitignore, .dvcignore. */
    public static InitResult init(Path dir, boolean noScm, boolean subdir, boolean force) {
        Path root = dir.toAbsolutePath().normalize();
        Git git = noScm ? null : Git.find(root);
        if (!noScm && (git == null || (!subdir && !git.root().equals(root)))) {
            throw new DataException(root + " is not tracked by any supported SCM tool (e.g. Git). Use `--no-scm` if"
                    + " you don't want to use any SCM or `--subdir` if initializing inside a subdirectory of a parent"
                    + " SCM repository.");
        }
        Path dvcDir = root.resolve(Repo.DVC_DIR);
        try {
            if (Files.exists(dvcDir)) {
                if (!force) {
                    throw new DataException("'.dvc' exists. Use `-f` to force.");
                }
                deleteTree(dvcDir);
            }
            Files.createDirectories(dvcDir);
            Path config = dvcDir.resolve(DvcConfig.FILE);
            Files.writeString(config, noScm ? "[core]\n    no_scm = True\n" : "", StandardCharsets.UTF_8);
            Path dvcignore = root.resolve(IgnoreRules.FILE_NAME);
            if (!Files.exists(dvcignore)) {
                Files.writeString(dvcignore, DVCIGNORE_TEMPLATE, StandardCharsets.UTF_8);
            }
            if (git == null) {
                return new InitResult(root, false);
            }
            Path gitignore = dvcDir.resolve(Git.GITIGNORE);
            Files.writeString(gitignore, "/config.local\n/tmp\n/cache\n", StandardCharsets.UTF_8);
            git.add(List.of(config, dvcignore, gitignore));
            return new InitResult(root, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot initialize " + root + ": " + e.getMessage(), e);
        }
    }

    /** Tracks files or folders; returns the files to stage in git (empty when not in git). */
    public List<String> add(List<String> targets) {
        if (targets.isEmpty()) {
            throw new DataException("Nothing to add: name the files or folders to track.");
        }
        List<Path> toStage = new AddOp(repo).run(targets);
        return stage(toStage);
    }

    /** Records the workspace state of tracked outputs in their .dvc files and the cache. */
    public List<String> commit(List<String> targets) {
        List<Tracked> selected = repo.select(targets);
        List<Tracked> outs =
                selected.stream().filter(t -> t.out().cached() && !t.fromLock()).toList();
        if (outs.isEmpty() && !targets.isEmpty() && selected.stream().anyMatch(Tracked::fromLock)) {
            throw new DataException("Pipeline outputs are recorded in dvc.lock, which reprise only reads;"
                    + " commit them with 'dvc commit'.");
        }
        List<Saver.Target> saveTargets = new ArrayList<>();
        for (Tracked t : outs) {
            if (!Files.exists(t.path())) {
                throw new DataException("'" + repo.show(t.path()) + "' does not exist; check it out or remove "
                        + repo.show(t.file()) + ".");
            }
            saveTargets.add(new Saver.Target(t.path(), t.out()));
        }
        List<Saver.Saved> saved = new Saver(repo).save(saveTargets);
        List<Path> changed = new ArrayList<>();
        for (int i = 0; i < saved.size(); i++) {
            Saver.Saved s = saved.get(i);
            Tracked t = outs.get(i);
            if (!s.out().equals(t.out())) {
                t.dvcFile().saveOutput(t.index(), s.out());
                t.dvcFile().write();
                changed.add(t.dvcFile().file());
            }
        }
        return stage(changed);
    }

    private List<String> stage(List<Path> files) {
        Git git = repo.git();
        if (git == null || files.isEmpty()) {
            return List.of();
        }
        if (repo.config.autostage()) {
            git.add(files);
            return List.of();
        }
        return files.stream().map(repo::show).sorted().toList();
    }

    /** Workspace status: .dvc file -> output -> change, as {@code dvc status} lists them. */
    public Map<String, Map<String, String>> status(List<String> targets) {
        return new StatusOp(repo).run(targets);
    }

    /** Cache vs remote: path -> "new", "deleted" or "missing", as {@code dvc status -c}. */
    public Map<String, String> cloudStatus(List<String> targets, String remote) {
        try (Remote r = Remote.resolve(repo, remote)) {
            return new StatusOp(repo).cloud(targets, r);
        }
    }

    /** The remote that {@code remote} (null: the default) names. */
    public String remoteName(String remote) {
        return Remote.name(repo, remote);
    }

    public boolean tracksAnything() {
        return !repo.allTracked().isEmpty();
    }

    /**
     * Result of checkout and pull: per output "A" (added) or "M" (modified); outputs without objects;
     * unsaved workspace files that kept their outputs from being checked out; objects fetched.
     */
    public record CheckoutResult(
            Map<String, String> changes, List<String> missing, List<String> unsaved, int fetched) {}

    public CheckoutResult checkout(List<String> targets, boolean force) {
        CheckoutOp.Result r = new CheckoutOp(repo, force).run(repo.select(targets));
        return new CheckoutResult(r.changes(), r.missing(), r.unsaved(), 0);
    }

    /** Objects copied and outputs that could not be fully transferred. */
    public record TransferResult(int transferred, List<String> missing) {}

    public TransferResult push(List<String> targets, String remote) {
        Timings.mark("start-up");
        try (Remote to = Remote.resolve(repo, remote)) {
            TransferOp.Result r = new TransferOp(repo, to).push(repo.select(targets));
            return new TransferResult(r.transferred(), r.missing());
        }
    }

    public TransferResult fetch(List<String> targets, String remote) {
        try (Remote from = Remote.resolve(repo, remote)) {
            TransferOp.Result r = new TransferOp(repo, from).fetch(repo.select(targets));
            return new TransferResult(r.transferred(), r.missing());
        }
    }

    public CheckoutResult pull(List<String> targets, String remote, boolean force) {
        Timings.mark("start-up");
        List<Tracked> outs = repo.select(targets);
        TransferOp.Result fetched;
        // Outputs absent from the workspace are written while their objects are fetched.
        FreshCheckout fresh = FreshCheckout.forPull(repo);
        try (Remote from = Remote.resolve(repo, remote)) {
            fetched = new TransferOp(repo, from, fresh).fetch(outs);
        } catch (RuntimeException e) {
            if (fresh != null) {
                try {
                    fresh.undoAll();
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
        Timings.mark("fetch");
        CheckoutOp.Result r = new CheckoutOp(repo, force, fresh).run(outs);
        Timings.mark("checkout");
        List<String> missing = new ArrayList<>(fetched.missing());
        r.missing().stream().filter(m -> !missing.contains(m)).forEach(missing::add);
        return new CheckoutResult(r.changes(), missing, r.unsaved(), fetched.transferred());
    }

    /**
     * What gc keeps besides the workspace: the tips of all branches (or their last {@code num} commits),
     * all tags, all commits, or the last {@code num} commits from {@code rev}.
     */
    public record GcScope(boolean allBranches, boolean allTags, boolean allCommits, String rev, int num) {}

    /** Paths removed (or, dry, to remove) from the cache, the 2.x cache and the remote; warnings. */
    public record GcResult(List<String> cache, List<String> legacy, List<String> remote, List<String> warnings) {}

    /**
     * Removes objects no kept revision uses from the cache; with {@code cloud} from the remote too;
     * with {@code notInRemote} also the used ones the remote already has.
     */
    public GcResult gc(GcScope scope, boolean cloud, String remote, boolean notInRemote, boolean dry) {
        Remote r;
        if (cloud || notInRemote) {
            r = Remote.resolve(repo, remote);
        } else {
            r = defaultRemoteOrNull();
        }
        GcOp.Result res = new GcOp(repo, r)
                .run(
                        new GcOp.Scope(
                                scope.allBranches(), scope.allTags(), scope.allCommits(), scope.rev(), scope.num()),
                        cloud,
                        notInRemote,
                        dry);
        return new GcResult(res.cache(), res.legacy(), res.remote(), res.warnings());
    }

    // The default remote, only to read folder manifests the cache lacks; none is fine.
    private Remote defaultRemoteOrNull() {
        try {
            return repo.config.defaultRemote() == null ? null : Remote.resolve(repo, null);
        } catch (DataException e) {
            return null;
        }
    }

    /**
     * One change as dvc diff reports it: repo-relative path ("/" after folders) and hash; for a rename
     * also the new path, for a modification also the new hash.
     */
    public record DiffEntry(String path, String hash, String newPath, String newHash) {}

    /**
     * Tracked data changes from {@code aRev} (null: HEAD) to {@code bRev} (null: the workspace):
     * "added", "deleted", "modified", "renamed", "not in cache" (only against the workspace), each
     * sorted by path; empty when nothing changed.
     */
    public Map<String, List<DiffEntry>> diff(String aRev, String bRev, List<String> targets) {
        Map<String, List<DiffEntry>> out = new LinkedHashMap<>();
        new DiffOp(repo)
                .run(aRev, bRev, targets)
                .changes()
                .forEach((kind, changes) -> out.put(
                        kind,
                        changes.stream()
                                .map(c -> new DiffEntry(c.path(), c.hash(), c.newPath(), c.newHash()))
                                .toList()));
        return out;
    }

    /** Adds a remote (a local folder) to .dvc/config; {@code makeDefault} also sets core.remote. */
    public void remoteAdd(String name, String url, boolean makeDefault, boolean force) {
        IniFile ini = repo.config.repoFile();
        Map<String, LinkedHashMap<String, String>> remotes = ini.named.get("remote");
        if (remotes.containsKey(name) && !force) {
            throw new DataException("remote '" + name + "' already exists. Use `-f|--force` to overwrite it.");
        }
        LinkedHashMap<String, String> section = new LinkedHashMap<>();
        section.put("url", repo.config.toConfigPath(url, repo.cwd));
        remotes.put(name, section);
        if (makeDefault) {
            ini.edit("core").put("remote", name);
        }
        repo.config.saveRepoFile();
    }

    /**
     * Sets (or with a null value, unsets) a remote's option, in config or, with {@code local}, in
     * config.local, as {@code dvc remote modify} does.
     */
    public void remoteModify(String name, String option, String value, boolean local) {
        if (!RemoteOptions.KNOWN.contains(option)) {
            throw new DataException("Unknown option '" + option + "' for remote '" + name + "'; known ones: "
                    + String.join(", ", RemoteOptions.KNOWN) + ".");
        }
        boolean inRepo = repo.config.repoFile().named.get("remote").containsKey(name);
        boolean inLocal = repo.config.localFile().named.get("remote").containsKey(name);
        if (!inRepo && !(local && inLocal)) {
            throw new DataException("remote '" + name + "' doesn't exist; list them with 'reprise data remote list'.");
        }
        IniFile ini = local ? repo.config.localFile() : repo.config.repoFile();
        Map<String, LinkedHashMap<String, String>> remotes = ini.named.get("remote");
        if (value == null) {
            LinkedHashMap<String, String> section = remotes.get(name);
            if (section != null) {
                section.remove(option);
                if (section.isEmpty() && local) {
                    remotes.remove(name);
                }
            }
        } else {
            remotes.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(option, value);
        }
        if (local) {
            repo.config.saveLocalFile();
        } else {
            repo.config.saveRepoFile();
        }
    }

    /** Removes a remote, and the default pointing at it. */
    public void remoteRemove(String name) {
        IniFile ini = repo.config.repoFile();
        if (ini.named.get("remote").remove(name) == null) {
            throw new DataException("remote '" + name + "' doesn't exist; list them with 'reprise data remote list'.");
        }
        if (name.equals(ini.get("core", "remote"))) {
            ini.edit("core").remove("remote");
        }
        repo.config.saveRepoFile();
    }

    /** Sets (or with null, unsets) the default remote. */
    public void remoteDefault(String name) {
        IniFile ini = repo.config.repoFile();
        if (name == null) {
            ini.edit("core").remove("remote");
        } else if (!repo.config.remotes().containsKey(name)) {
            throw new DataException("default remote must be present in remote list ('" + name
                    + "' is not); add it with 'reprise data remote add'.");
        } else {
            ini.edit("core").put("remote", name);
        }
        repo.config.saveRepoFile();
    }

    /** The cache folder ({@code .dvc/cache} unless {@code cache.dir} says otherwise). */
    public Path cacheDir() {
        return repo.config.cacheDir();
    }

    /**
     * The bytes stored as object {@code oid} in the cache, else in the remote ({@code remote} null:
     * the default), NOT verified and never cached: for showing what a remote holds when its object
     * does not match its name. Null when neither has it.
     */
    public byte[] readUnverified(String oid, String remote) {
        try {
            if (repo.cache.has(oid)) {
                return repo.cache.read(oid);
            }
            try (Remote r = Remote.resolve(repo, remote)) {
                return r.has(oid) ? r.read(oid) : null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read object " + oid + ": " + e.getMessage(), e);
        }
    }

    public String defaultRemote() {
        return repo.config.defaultRemote();
    }

    /** Remote name -> url, local paths made absolute as dvc remote list shows them. */
    public Map<String, String> remoteUrls() {
        Map<String, String> out = new LinkedHashMap<>();
        repo.config
                .remotes()
                .forEach((name, url) -> out.put(
                        name,
                        url == null || DvcConfig.isUrl(url)
                                ? String.valueOf(url)
                                : repo.config.resolvePath(url).toString()));
        return out;
    }

    @Override
    public void close() {
        repo.close();
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
