package io.reprise.cli;

import io.reprise.capture.CaptureException;
import io.reprise.capture.EarlyStart;
import io.reprise.capture.RunSession;
import io.reprise.capture.RunSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run of the JVM's ahead-of-time cache for every command but the server: it walks
 * what {@code reprise run}, {@code reprise data} and {@code reprise audit} do on a small git
 * project, so that their classes start parsed and linked. The tracking server they talk to runs
 * in a child process: a server in this JVM would put thousands of classes into the cache that a
 * short command would then load on every start for nothing.
 */
final class CliTraining {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private final Path dir;

    CliTraining(Path dir) {
        this.dir = dir;
    }

    /**
     * The training of {@code reprise run}'s own cache: its command line, the git state read while
     * it is parsed, and one recorded run. A cache of only what a run loads starts it ~50 ms sooner
     * than the one every other command shares, as the JVM loads every class of its cache at start.
     */
    void runOnly() throws IOException, InterruptedException {
        onProject((project, uri) -> {
            Path here = project.toRealPath();
            EarlyStart.begin(here, System.getenv());
            String[] args = {"run", "--tracking-uri", uri, "--", "true"};
            Main.commandLineFor(args).parseArgs(args);
            record(RunSpec.of(List.of("true"), here, System.getenv(), uri, null, null, null, List.of()));
        });
    }

    /** Runs the training in {@code dir}, which must be empty: everything it writes stays there. */
    void run() throws IOException, InterruptedException {
        onProject((project, uri) -> {
            data(project, "init");
            data(project, "add", "data/rows.csv", "data/images");
            data(project, "status"); // a folder output: the walk status does on big datasets
            data(project, "remote", "add", "-d", "store", dir.resolve("remote").toString());
            data(project, "push");
            // A pull into an emptied workspace and cache: fetch, and checkout while fetching.
            deleteTree(project.resolve("data/images"));
            deleteTree(project.resolve(".dvc/cache"));
            data(project, "pull");
            capture(project, uri);
            cli("audit", project.toString());
        });
    }

    private interface Training {
        void run(Path project, String serverUri) throws IOException, InterruptedException;
    }

    /** Runs {@code training} on a new small git project, with a tracking server of its own. */
    private void onProject(Training training) throws IOException, InterruptedException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Process server = startServer();
        try {
            String uri = awaitUrl(server);
            makeProject(project);
            training.run(project, uri);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startServer() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "--port",
                "0",
                "--backend-store-uri",
                "sqlite:///" + dir.resolve("server.db").toAbsolutePath(),
                "--artifacts-destination",
                dir.resolve("artifacts").toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String awaitUrl(Process server) throws IOException {
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> drain(lines));
                return m.group(1);
            }
        }
        throw new IOException("the training server stopped before it listened");
    }

    private static void drain(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // a full pipe would block the server
            }
        } catch (IOException e) {
            // the server is gone
        }
    }

    private void makeProject(Path project) throws IOException, InterruptedException {
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("train.py"), "import random\nrandom.seed(1)\nprint(random.random())\n");
        Files.writeString(project.resolve("requirements.txt"), "numpy==2.1.0\n");
        Files.writeString(project.resolve("data/rows.csv"), "x,y\n1,2\n");
        for (String split : List.of("train", "test")) {
            Path folder = Files.createDirectories(project.resolve("data/images").resolve(split));
            for (int i = 0; i < 5; i++) {
                Files.writeString(folder.resolve(i + ".txt"), split + i + "\n");
            }
        }
        git(project, "init", "-q");
        git(project, "add", "train.py", "requirements.txt");
        git(project, "-c", "user.name=reprise", "-c", "user.email=reprise@localhost", "commit", "-q", "-m", "train");
    }

    private static void git(Path project, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(args));
        new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
    }

    private void data(Path project, String... args) {
        List<String> all = new ArrayList<>(List.of("data", "-C", project.toString()));
        all.addAll(List.of(args));
        cli(all.toArray(String[]::new));
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void cli(String... args) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Main.commandLineFor(args).setOut(nowhere).setErr(nowhere).execute(args);
    }

    private static void capture(Path project, String uri) throws InterruptedException {
        record(RunSpec.of(List.of("git", "--version"), project, Map.of(), uri, "aot-train", "train", 1L, List.of()));
    }

    private static void record(RunSpec spec) throws InterruptedException {
        try {
            new RunSession(spec, NOWHERE, NOWHERE).execute();
        } catch (CaptureException e) {
            // training only: whatever ran has loaded its classes
        }
    }
}
