package io.reprise.cli;

import io.reprise.app.ReprisServer;
import io.reprise.app.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The training run for the JVM's ahead-of-time cache (JDK 25+): the launcher runs it once per
 * build with {@code -XX:AOTCacheOutput}, so that later starts find the classes it loaded already
 * parsed and linked. It starts a server on a free loopback port over a throw-away store and
 * walks the requests a client makes first. {@code --cli} trains the cache of the other commands,
 * {@code --run} the one of {@code reprise run} (see CliTraining).
 */
@Command(name = "aot-train", hidden = true, description = "Internal: exercise start-up paths for the JVM's AOT cache.")
public final class AotTrainCommand implements Callable<Integer> {
    private static final String[][] REQUESTS = {
        {"GET", "/health", ""},
        {"POST", "/api/2.0/mlflow/experiments/create", "{\"name\":\"train\"}"},
        {"GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=train", ""},
        {"POST", "/api/2.0/mlflow/experiments/search", "{\"max_results\":10}"},
        {"POST", "/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"1\",\"run_name\":\"r\",\"start_time\":1}"},
    };
    private static final String[][] RUN_REQUESTS = {
        {
            "POST",
            "/api/2.0/mlflow/runs/log-batch",
            "{\"run_id\":\"RUN\",\"params\":[{\"key\":\"p\",\"value\":\"1\"}],"
                    + "\"tags\":[{\"key\":\"t\",\"value\":\"x\"}],"
                    + "\"metrics\":[{\"key\":\"m\",\"value\":0.5,\"timestamp\":1,\"step\":0}]}"
        },
        {"POST", "/api/2.0/mlflow/runs/log-metric", "{\"run_id\":\"RUN\",\"key\":\"m\",\"value\":1,\"timestamp\":2}"},
        {"GET", "/api/2.0/mlflow/runs/get?run_id=RUN", ""},
        {"GET", "/api/2.0/mlflow/metrics/get-history?run_id=RUN&metric_key=m", ""},
        {
            "POST",
            "/api/2.0/mlflow/runs/search",
            "{\"experiment_ids\":[\"1\"],\"filter\":\"metrics.m > 0 and params.p = '1'\","
                    + "\"order_by\":[\"metrics.m DESC\"]}"
        },
        {"POST", "/api/2.0/mlflow/runs/update", "{\"run_id\":\"RUN\",\"status\":\"FINISHED\",\"end_time\":3}"},
    };
    private static final Pattern RUN_ID = Pattern.compile("\"run_id\"\\s*:\\s*\"([0-9a-f]+)\"");

    @Option(
            names = "--cli",
            paramLabel = "EMPTY_DIR",
            description = "Train the cache of the other commands instead, working in EMPTY_DIR.")
    Path cliDir;

    @Option(
            names = "--run",
            paramLabel = "EMPTY_DIR",
            description = "Train the cache of 'reprise run' alone, working in EMPTY_DIR.")
    Path runDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path work = cliDir != null ? cliDir : runDir;
        if (work != null) {
            try (Stream<Path> entries = Files.list(work)) {
                if (entries.findAny().isPresent()) {
                    System.err.println("reprise aot-train: " + work + " is not empty");
                    return ExitCodes.USAGE;
                }
            }
            if (cliDir != null) {
                new CliTraining(cliDir).run();
            } else {
                new CliTraining(runDir).runOnly();
            }
            return ExitCodes.OK;
        }
        Path dir = Files.createTempDirectory("reprise-aot-train");
        try (ReprisServer server = ReprisServer.start(
                new ServerConfig("127.0.0.1", 0, "sqlite:///" + dir.resolve("train.db"), dir.resolve("artifacts")))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            String created = "";
            for (String[] r : REQUESTS) {
                created = send(http, base, r[0], r[1], r[2]);
            }
            Matcher run = RUN_ID.matcher(created);
            if (run.find()) {
                for (String[] r : RUN_REQUESTS) {
                    send(http, base, r[0], r[1].replace("RUN", run.group(1)), r[2].replace("RUN", run.group(1)));
                }
            }
        } finally {
            deleteTree(dir);
        }
        return ExitCodes.OK;
    }

    private static String send(HttpClient http, String base, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        b = method.equals("GET")
                ? b.GET()
                : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
