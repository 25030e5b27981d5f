package io.reprise.audit;

import io.reprise.data.DataRepo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code reprise init}: a new project that {@code reprise audit} scores 100. The files are written
 * into a temporary folder beside the target, made a git repository with the data tracked, committed,
 * and only then renamed to the target: an interrupted init leaves no half project behind.
 */
public final class ProjectInit {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
    private static final Pattern PYTHON = Pattern.compile("3\\.\\d{1,2}");
    private static final String TEMPLATES = "templates/";
    /** Where default data remotes go, under the user's data folder ($XDG_DATA_HOME or ~/.local/share). */
    static final String LOCAL_REMOTES = "reprise/remotes";

    /**
     * What to create.
     *
     * @param name the project's name (also the experiment's); null: the folder's name
     * @param trackingUri the team's server written to .reprise/config.toml
     * @param python the Python minor version to pin, e.g. "3.12"
     * @param dataRemote the default data remote's URL; null: a folder on this machine, {@link #localRemote}
     */
    public record Options(String template, String name, String trackingUri, String python, String dataRemote) {}

    /**
     * What was created.
     *
     * @param commit the first commit's id, or null when git could not commit (a note says why)
     * @param dataRemote the default data remote's URL
     * @param localRemote whether that remote is the default folder on this machine (to replace for a team)
     */
    public record Created(
            Path dir,
            String name,
            String packageName,
            List<String> files,
            String commit,
            String note,
            String dataRemote,
            boolean localRemote) {}

    private ProjectInit() {}

    /** The templates there are. */
    public static List<String> templates() {
        return List.of("python");
    }

    /** Creates the project in {@code dir}, which must not exist or be empty. */
    public static Created create(Path dir, Options options) {
        Path target = dir.toAbsolutePath().normalize();
        checkTarget(target);
        String name = options.name() != null ? options.name() : String.valueOf(target.getFileName());
        if (!NAME.matcher(name).matches()) {
            throw new AuditException(
                    "'" + name + "' cannot be a project name",
                    "use letters, digits, '.', '_' or '-', starting with a letter (--name NAME)");
        }
        if (!PYTHON.matcher(options.python()).matches()) {
            throw new AuditException(
                    "--python must be a minor version such as 3.12, not '" + options.python() + "'",
                    "pass --python 3.12");
        }
        if (!templates().contains(options.template())) {
            throw new AuditException("no template '" + options.template() + "'", "templates: " + templates());
        }
        String pkg = packageName(name);
        Map<String, String> values = Map.of(
                "{{name}}",
                name,
                "{{package}}",
                pkg,
                "{{python}}",
                options.python(),
                "{{tracking_uri}}",
                options.trackingUri());
        Path work = temporarySibling(target);
        try {
            List<String> files = write(work, options.template(), values);
            files.add("data/train.csv");
            writeData(work.resolve("data/train.csv"));
            git(work, "init", "-q");
            git(work, "symbolic-ref", "HEAD", "refs/heads/main"); // whatever init.defaultBranch says
            String remote = options.dataRemote() != null ? options.dataRemote() : localRemote(name, System.getenv());
            files.addAll(trackData(work, remote));
            git(work, "add", "-A");
            String commit = null;
            String note = null;
            try {
                git(work, "commit", "-q", "-m", "New project from reprise init (template " + options.template() + ")");
                commit = git(work, "rev-parse", "HEAD").strip();
            } catch (AuditException e) {
                note = "the files are staged but not committed: " + e.getMessage() + " (set git's user.name and"
                        + " user.email, then git commit)";
            }
            openUp(work);
            moveInto(work, target);
            return new Created(
                    target,
                    name,
                    pkg,
                    files.stream().sorted().toList(),
                    commit,
                    note,
                    remote,
                    options.dataRemote() == null);
        } catch (IOException e) {
            throw new AuditException(
                    "cannot create " + target + ": " + e.getMessage(), "check the folder's permissions");
        } finally {
            deleteTree(work);
        }
    }

    private static void checkTarget(Path target) {
        if (Files.isSymbolicLink(target)) {
            throw new AuditException(target + " is a symbolic link", "pass a new folder's path");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new AuditException(target + " exists and is not a folder", "pass a new folder's path");
            }
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new AuditException(
                            target + " is not empty: reprise init only creates new projects",
                            "pass a new folder's path (it is created) or an empty folder");
                }
            } catch (IOException e) {
                throw new AuditException("cannot read " + target + ": " + e.getMessage(), "check its permissions");
            }
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new AuditException(
                    "the folder " + parent + " does not exist", "create it first, or pick another path");
        }
    }

    /**
     * The default data remote: a folder on this machine, outside the project, named after it
     * ($XDG_DATA_HOME/reprise/remotes/NAME, else ~/.local/share/reprise/remotes/NAME). Pushing and
     * pulling work at once, for every clone on this machine (so {@code reprise reproduce} does too);
     * the team replaces it with shared storage. An absolute path: DVC resolves a relative local
     * remote against .dvc/, which differs between clones.
     */
    public static String localRemote(String name, Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && xdg.startsWith("/")
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
        return base.resolve(LOCAL_REMOTES)
                .resolve(name)
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    /** A Python package name for the project: lower case, '_' for other characters. */
    static String packageName(String name) {
        String p = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return Character.isDigit(p.charAt(0)) ? "p_" + p : p;
    }

    private static Path temporarySibling(Path target) {
        try {
            return Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".reprise-init-");
        } catch (IOException e) {
            throw new AuditException(
                    "cannot write in " + target.getParent() + ": " + e.getMessage(), "check the folder's permissions");
        }
    }

    private static List<String> write(Path work, String template, Map<String, String> values) throws IOException {
        List<String> files = new ArrayList<>();
        for (String line : resource(template + "/files.txt").lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.strip().split("\\s+", 2);
            String path = substitute(parts[1], values);
            Path out = work.resolve(path);
            Files.createDirectories(out.getParent());
            Files.writeString(out, substitute(resource(template + "/" + parts[0]), values), StandardCharsets.UTF_8);
            files.add(path);
        }
        return files;
    }

    private static String substitute(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = ProjectInit.class.getResourceAsStream(TEMPLATES + name)) {
            if (in == null) {
                throw new IllegalStateException("template file missing from the build: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 200 rows of two overlapping point clouds, the same bytes on every machine (java.util.Random is specified). */
    static void writeData(Path file) throws IOException {
        Random random = new Random(20_26);
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 200; i++) {
            int label = i % 2;
            double centre = label == 1 ? 1.0 : -1.0;
            csv.append(String.format(
                    Locale.ROOT,
                    "%.4f,%.4f,%d%n",
                    centre + random.nextGaussian() * 1.2,
                    centre + random.nextGaussian() * 1.2,
                    label));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv.toString().replace("\r\n", "\n"), StandardCharsets.UTF_8);
    }

    /** reprise data init, add data/train.csv, and a default remote: the .dvc files DVC itself writes. */
    private static List<String> trackData(Path work, String remote) {
        DataRepo.init(work, false, false, false);
        try (DataRepo repo = DataRepo.open(work, 1)) {
            repo.add(List.of("data/train.csv"));
            repo.remoteAdd("storage", remote, true, false);
        }
        return new ArrayList<>(
                List.of(".dvc/config", ".dvc/.gitignore", ".dvcignore", "data/train.csv.dvc", "data/.gitignore"));
    }

    /** Temporary folders are private (0700); the project gets the usual rwxr-xr-x. */
    private static void openUp(Path work) throws IOException {
        if (Files.getFileStore(work).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /**
     * A new folder is the temporary one renamed, in one step. An existing empty folder (perhaps the
     * shell's current folder, which must not be replaced) receives the entries one by one instead.
     */
    private static void moveInto(Path work, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileAlreadyExistsException e) {
                throw new AuditException(target + " appeared while the project was created", "pick another folder");
            }
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(work)) {
            entries = list.toList();
        }
        try (Stream<Path> existing = Files.list(target)) {
            if (existing.findAny().isPresent()) {
                throw new AuditException(
                        target + " is not empty: reprise init only creates new projects", "pass a new folder's path");
            }
        }
        for (Path e : entries) {
            Files.move(e, target.resolve(e.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AuditException(
                        "git " + args[0] + " failed: "
                                + out.strip().lines().findFirst().orElse(""),
                        "check that git works here");
            }
            return out;
        } catch (IOException e) {
            throw new AuditException(
                    "cannot run git: " + e.getMessage(), "install git; new projects are git repositories");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted", "run reprise init again");
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover hidden temporary folder is harmless and says what it is
        }
    }
}
