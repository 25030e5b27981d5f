package io.reprise.capture;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the work tree's git state with the git CLI. The CLI (not JGit) because {@code git status}
 * uses the index's stat cache and fsmonitor, so it stays fast on large trees; nothing is hashed.
 */
final class GitProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    // The empty tree object: what an unborn branch is diffed against.
    private static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    private final Path dir;
    private final Map<String, String> env;

    GitProbe(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = new HashMap<>(env);
        // Read-only: status must not rewrite the index behind the user's back.
        this.env.put("GIT_OPTIONAL_LOCKS", "0");
        this.env.put("LC_ALL", "C");
    }

    /** The state, or a {@link CaptureException} saying why there is none (not a repository, no git). */
    GitState probe() {
        CompletableFuture<Exec.Result> top = git("rev-parse", "--show-toplevel");
        CompletableFuture<Exec.Result> status =
                git("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all");
        CompletableFuture<Exec.Result> remotes = git("config", "--get-regexp", "^remote\\..*\\.url$");
        // Pathspecs and ls-files output are relative to the working directory unless told otherwise.
        CompletableFuture<Exec.Result> dvc =
                git("ls-files", "-z", "--full-name", "--", ":(top)*.dvc", ":(top)dvc.lock", ":(top)*/dvc.lock");
        Exec.Result t = top.join();
        if (!t.ok()) {
            throw new CaptureException(CaptureException.Kind.USAGE, "no git work tree: " + t.reason(), "");
        }
        Path root = Path.of(t.stdout().strip());
        GitStatus s = GitStatus.parse(status.join().stdout());
        String diff = s.changed().isEmpty() ? "" : diff(s.commit());
        List<String> dvcFiles = new ArrayList<>(split(dvc.join().stdout()));
        s.untracked().stream()
                .filter(p -> p.endsWith(".dvc") || p.equals("dvc.lock") || p.endsWith("/dvc.lock"))
                .forEach(dvcFiles::add);
        return new GitState(
                root.toString(),
                s.commit(),
                s.branch(),
                remoteUrl(remotes.join().stdout()),
                !s.changed().isEmpty(),
                s.changed(),
                sizes(root, s.untracked()),
                diff,
                dvcFiles);
    }

    private String diff(String commit) {
        Exec.Result d = git(
                        "diff",
                        commit == null ? EMPTY_TREE : "HEAD",
                        "--binary",
                        "--no-color",
                        "--no-ext-diff",
                        "--src-prefix=a/",
                        "--dst-prefix=b/")
                .join();
        return d.ok() ? d.stdout() : "";
    }

    private CompletableFuture<Exec.Result> git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "core.quotepath=off"));
        cmd.addAll(List.of(args));
        return CompletableFuture.supplyAsync(() -> Exec.run(dir, env, TIMEOUT, cmd), Threads.POOL);
    }

    private static List<String> split(String nulSeparated) {
        return nulSeparated.isEmpty() ? List.of() : List.of(nulSeparated.split("\0"));
    }

    private static List<GitState.Untracked> sizes(Path root, List<String> paths) {
        List<GitState.Untracked> out = new ArrayList<>(paths.size());
        for (String p : paths) {
            long size;
            try {
                size = Files.size(root.resolve(p));
            } catch (IOException e) {
                size = -1; // removed since git listed it
            }
            out.add(new GitState.Untracked(p, size));
        }
        return out;
    }

    /** origin's URL, else the first remote's; user info (tokens in https URLs) is dropped. */
    static String remoteUrl(String configLines) {
        String first = null;
        for (String line : configLines.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp < 0) {
                continue;
            }
            String url = line.substring(sp + 1).strip();
            if (line.startsWith("remote.origin.url ")) {
                return withoutCredentials(url);
            }
            first = first == null ? url : first;
        }
        return first == null ? null : withoutCredentials(first);
    }

    static String withoutCredentials(String url) {
        if (!url.contains("://")) {
            return url; // scp-like git@host:path carries no secret
        }
        try {
            URI u = URI.create(url);
            if (u.getRawUserInfo() == null) {
                return url;
            }
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment())
                    .toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return url.replaceFirst("://[^/@]*@", "://");
        }
    }
}
