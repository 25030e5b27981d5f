package io.reprise.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The few git operations DVC performs: finding the work tree, asking whether paths are ignored or
 * tracked, appending {@code .gitignore} entries exactly as DVC writes them, and staging files.
 */
final class Git {
    static final String GITIGNORE = ".gitignore";
    private final Path root;

    private Git(Path root) {
        this.root = root;
    }

    /** The git work tree containing {@code dir}, or null. */
    static Git find(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return new Git(p);
            }
        }
        return null;
    }

    Path root() {
        return root;
    }

    /** The subset of {@code paths} git ignores (own rules only, as DVC's check; the index is not consulted). */
    Set<Path> ignored(List<Path> paths) {
        return new HashSet<>(select(paths, "check-ignore", "--no-index", "--stdin", "-z"));
    }

    /** The subset of {@code paths} git tracks. */
    Set<Path> tracked(List<Path> paths) {
        Set<Path> out = new HashSet<>();
        List<String> args = new ArrayList<>(List.of("ls-files", "-z", "--"));
        for (Path p : paths) {
            args.add(rel(p));
        }
        for (String line : nulSeparated(run(args, null))) {
            if (!line.isEmpty()) {
                Path tracked = root.resolve(line).normalize();
                for (Path p : paths) {
                    if (tracked.equals(p) || tracked.startsWith(p)) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    void add(List<Path> paths) {
        List<String> args = new ArrayList<>(List.of("add", "--"));
        paths.forEach(p -> args.add(rel(p)));
        run(args, null);
    }

    private List<Path> select(List<Path> paths, String... command) {
        if (paths.isEmpty()) {
            return List.of();
        }
        StringBuilder in = new StringBuilder();
        paths.forEach(p -> in.append(rel(p)).append('\0'));
        List<Path> out = new ArrayList<>();
        for (String line : nulSeparated(run(List.of(command), in.toString()))) {
            if (!line.isEmpty()) {
                out.add(root.resolve(line).normalize());
            }
        }
        return out;
    }

    private static List<String> nulSeparated(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\0') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    private String rel(Path p) {
        return root.relativize(p.toAbsolutePath().normalize()).toString();
    }

    /** The commit {@code rev} names, or null when it names none. */
    String commit(String rev) {
        String sha = run(List.of("rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"), null)
                .strip();
        return sha.isEmpty() ? null : sha;
    }

    /** Commits as {@code git rev-list ARGS} lists them. */
    List<String> revList(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("rev-list"));
        cmd.addAll(args);
        return run(cmd, null).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The commits refs under {@code prefix} (refs/heads, refs/tags) point at, annotated tags peeled. */
    List<String> refCommits(String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : run(List.of("for-each-ref", "--format=%(objectname) %(*objectname)", prefix), null)
                .lines()
                .toList()) {
            String[] parts = line.strip().split(" ", -1);
            String sha = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : parts[0];
            if (!sha.isEmpty() && !out.contains(sha)) {
                out.add(sha);
            }
        }
        return out;
    }

    /**
     * The files below {@code dir} at commit {@code sha} that {@code wanted} accepts (given their path
     * relative to {@code dir}): relative path -> text. Read in one {@code git cat-file --batch}.
     */
    java.util.Map<String, String> filesAt(String sha, Path dir, java.util.function.Predicate<String> wanted) {
        String prefix = rel(dir);
        prefix = prefix.isEmpty() ? "" : prefix.replace('\\', '/') + "/";
        List<String> names = new ArrayList<>();
        StringBuilder blobs = new StringBuilder();
        for (String entry : nulSeparated(run(List.of("ls-tree", "-r", "-z", "--full-tree", sha), null))) {
            int tab = entry.indexOf('\t');
            String[] meta = tab < 0 ? new String[0] : entry.substring(0, tab).split(" ", -1);
            if (meta.length < 3 || !meta[1].equals("blob")) {
                continue;
            }
            String name = entry.substring(tab + 1);
            if (name.startsWith(prefix) && wanted.test(name.substring(prefix.length()))) {
                names.add(name.substring(prefix.length()));
                blobs.append(meta[2]).append('\n');
            }
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        byte[] batch = runBytes(List.of("cat-file", "--batch"), blobs.toString());
        int pos = 0;
        for (String name : names) {
            int eol = indexOf(batch, (byte) '\n', pos);
            String[] header = new String(batch, pos, eol - pos, StandardCharsets.UTF_8).split(" ", -1);
            int size = Integer.parseInt(header[2]);
            out.put(name, new String(batch, eol + 1, size, StandardCharsets.UTF_8));
            pos = eol + 1 + size + 1;
        }
        return out;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        throw new DataException("Unexpected output from 'git cat-file --batch'; check that git works here.");
    }

    private String run(List<String> args, String stdin) {
        return new String(runBytes(args, stdin), StandardCharsets.UTF_8);
    }

    private byte[] runBytes(List<String> args, String stdin) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(args);
        try {
            Process proc = new ProcessBuilder(cmd)
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // Fed from another thread: git answers while it reads (cat-file --batch), and a full pipe
            // on both sides would block both processes.
            Thread feeder = Thread.ofVirtual().start(() -> feed(proc.getOutputStream(), stdin));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream i = proc.getInputStream()) {
                i.transferTo(out);
            }
            int rc = proc.waitFor();
            feeder.join();
            // check-ignore exits 1 when nothing is ignored; other failures mean "no answer".
            if (rc > 1) {
                throw new DataException("'git " + String.join(" ", args.subList(0, 1)) + "' failed (exit " + rc
                        + ") in " + root + "; check that git works there.");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new DataException("Cannot run git (" + e.getMessage() + "); install git or set core.no_scm.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted.", e);
        }
    }

    private static void feed(OutputStream o, String stdin) {
        try (o) {
            if (stdin != null) {
                o.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // git exited early; its exit code tells what went wrong
        }
    }

    /**
     * Appends {@code /name} for {@code output} to the .gitignore beside it, as DVC's scmrepo does:
     * special characters escaped, a missing final newline completed first. (scmrepo's duplicate check
     * reads an "a+" file from its end, so it never finds one; callers ask git first instead.)
     */
    static Path addIgnoreEntry(Path output) throws IOException {
        Path gitignore = output.getParent().resolve(GITIGNORE);
        String entry = "/" + escape(output.getFileName().toString());
        String existing = Files.exists(gitignore) ? Files.readString(gitignore, StandardCharsets.UTF_8) : "";
        String prefix = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
        AtomicFiles.writeString(gitignore, existing + prefix + entry + "\n");
        return gitignore;
    }

    // pathspec's GitWildMatchPattern.escape
    static String escape(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ("\\[]!*#?".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
