package io.reprise.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh checkout of one commit in a temporary folder: a clone sharing the objects of the local
 * repository when it has the commit, else a clone of the recorded remote. Removed by {@link #close()}
 * unless kept.
 */
final class Workspace implements AutoCloseable {
    private final Path temp;
    private final Path root;
    private final String origin;
    private boolean keep;

    private Workspace(Path temp, Path root, String origin) {
        this.temp = temp;
        this.root = root;
        this.origin = origin;
    }

    /** The checkout's root (the repository root at the commit). */
    Path root() {
        return root;
    }

    /** Where the commit came from, for people: "the local repository /x" or "the remote URL". */
    String origin() {
        return origin;
    }

    /** The local repository containing {@code dir}, or null outside git. */
    static Path localRepository(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        Proc.Result r = Proc.git(dir, "rev-parse", "--show-toplevel");
        return r.ok() ? Path.of(r.output().strip()) : null;
    }

    /**
     * Checks out {@code commit}: from {@code local} if it has it, else by cloning {@code remoteUrl}.
     * Throws {@link Failed} when neither has the commit.
     */
    static Workspace checkout(Path local, String commit, String remoteUrl, String label) {
        if (commit.isEmpty()) {
            throw new Failed(
                    "the run recorded no git commit (it ran outside a git work tree, or before the first" + " commit)",
                    "run it with 'reprise run' inside a git repository with at least one commit");
        }
        Path temp = createTemp(label);
        Path root = temp.resolve("work");
        try {

            if (local != null
                    && Proc.git(local, "cat-file", "-e", commit + "^{commit}").ok()) {
                // --shared borrows the local objects: no copy, and the user's repository is not touched.
                Proc.Result c =
                        Proc.git(temp, "clone", "--quiet", "--shared", "--no-checkout", local.toString(), "work");
                if (!c.ok()) {
                    throw new Failed("cannot clone the local repository " + local + ": " + c.reason());
                }
                checkoutCommit(root, commit);
                return new Workspace(temp, root, "the local repository " + local);
            }
            String why = local == null ? "not in a git repository here" : "not in the local repository " + local;
            if (remoteUrl.isEmpty()) {
                throw new Failed(
                        "commit " + commit + " not found: " + why + ", and the run recorded no remote",
                        "run reprise reproduce inside a clone that has the commit, or pass --repo PATH");
            }
            Proc.Result c = Proc.git(temp, "clone", "--quiet", "--no-checkout", remoteUrl, "work");
            if (!c.ok()) {
                throw new Failed(
                        "commit " + commit + " not found: " + why + ", and the recorded remote " + remoteUrl
                                + " cannot be cloned: " + c.reason(),
                        "run reprise reproduce inside a clone that has the commit, or pass --repo PATH");
            }
            if (!Proc.git(root, "cat-file", "-e", commit + "^{commit}").ok()
                    && !Proc.git(root, "fetch", "--quiet", "origin", commit).ok()) {
                throw new Failed(
                        "commit " + commit + " not found: " + why + ", nor at the recorded remote " + remoteUrl,
                        "was it pushed? push the commit, or reproduce inside a clone that has it (--repo PATH)");
            }
            checkoutCommit(root, commit);
            return new Workspace(temp, root, "the recorded remote " + remoteUrl);
        } catch (RuntimeException e) {
            delete(temp);
            throw e;
        }
    }

    /** A checkout of the current commit of {@code local} (for verify). */
    static Workspace ofHead(Path local, String label) {
        Proc.Result head = Proc.git(local, "rev-parse", "HEAD");
        if (!head.ok()) {
            throw new Failed("the repository " + local + " has no commit yet", "commit something first");
        }
        return checkout(local, head.output().strip(), "", label);
    }

    private static void checkoutCommit(Path root, String commit) {
        Proc.Result r = Proc.git(root, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit);
        if (!r.ok()) {
            throw new Failed("cannot check out commit " + commit + ": " + r.reason());
        }
    }

    /** Applies a {@code git diff HEAD --binary} patch to the checkout. */
    void applyDiff(byte[] patch) {
        try {
            Path file = temp.resolve("recorded.patch");
            Files.write(file, patch);
            Proc.Result r = Proc.git(root, "apply", "--binary", "--whitespace=nowarn", file.toString());
            Files.deleteIfExists(file);
            if (!r.ok()) {
                throw new Failed("the recorded uncommitted diff does not apply to the commit: " + r.reason());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a file at a path the record names, refusing any path that would land outside the
     * checkout (absolute, {@code ..}, into .git, through a symlink).
     */
    void write(String relative, byte[] content) throws IOException {
        Files.write(safe(relative), content);
    }

    Path safe(String relative) throws IOException {
        Path rel = Path.of(relative).normalize();
        if (relative.isEmpty() || rel.isAbsolute() || rel.startsWith("..") || rel.startsWith(".git")) {
            throw new Failed("refusing to write '" + relative + "': not a path inside the repository");
        }
        Path target = root.resolve(rel);
        Files.createDirectories(target.getParent());
        Path realRoot = root.toRealPath();
        if (!target.getParent().toRealPath().startsWith(realRoot)
                || Files.isSymbolicLink(target)
                || (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(target))) {
            throw new Failed("refusing to write '" + relative + "': it leaves the checkout or is not a file");
        }
        return target;
    }

    /** Keeps the checkout on {@link #close()}. */
    void keep() {
        keep = true;
    }

    @Override
    public void close() {
        if (!keep) {
            delete(temp);
        }
    }

    private static Path createTemp(String label) {
        try {
            return Files.createTempDirectory("reprise-" + label + "-");
        } catch (IOException e) {
            throw new Failed("cannot create a temporary folder: " + e.getMessage(), "check TMPDIR and free space");
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            // walk does not follow symlinks: a shared cache linked into the checkout is left alone
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a temp folder left behind is reported by nobody and harms nothing
        }
    }
}
