package io.reprise.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.store.FreshDatabase;
import io.reprise.store.StoreBackends;
import io.reprise.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server killed with SIGKILL while clients write loses none of the writes it acknowledged, leaves
 * no batch half-written and restarts on the same database, on SQLite and on PostgreSQL.
 */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class KillNineTest {
    private static final int WRITERS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    String backend;

    @TempDir
    Path dir;

    @AutoClose
    FreshDatabase db;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every run create and log-batch sent, and whether the server acknowledged it (HTTP 200). */
    private final Map<String, Boolean> runsCreated = new ConcurrentHashMap<>();

    private final Map<Batch, Boolean> batchesSent = new ConcurrentHashMap<>();

    private record Batch(String runId, int number) {}

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        db = StoreBackends.create(backend, dir);
        String experimentId;
        try (ServerProcess first = start("first")) {
            experimentId = post(first, "/experiments/create", Map.of("name", "durable"))
                    .get("experiment_id")
                    .asText();
            writeUntilKilled(first, experimentId);
        }
        try (ServerProcess second = start("second")) {
            assertEverythingAcknowledgedIsThere(second);
            JsonNode run = post(second, "/runs/create", Map.of("experiment_id", experimentId));
            assertThat(run.at("/run/info/status").asText()).isEqualTo("RUNNING");
        }
    }

    private ServerProcess start(String name) throws IOException {
        Path runDir = Files.createDirectories(dir.resolve(name));
        return ServerProcess.start(
                runDir,
                List.of(),
                List.of(
                        "--port",
                        "0",
                        "--backend-store-uri",
                        db.uri(),
                        "--artifacts-destination",
                        dir.resolve("artifacts").toString()));
    }

    /** SIGKILL: no shutdown hook, no flush, no connection closed politely. */
    private static void killNine(ServerProcess server) throws InterruptedException {
        server.process().destroyForcibly();
        assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** Writers create runs and log batches until the server is killed under them. */
    private void writeUntilKilled(ServerProcess server, String experimentId) throws Exception {
        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> write(server, experimentId, acknowledged)));
        }
        // Kill once enough writes were acknowledged that some are surely in flight too.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acknowledged.get() < 60 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        killNine(server);
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        assertThat(acknowledged.get()).as("writes acknowledged before the kill").isGreaterThanOrEqualTo(60);
    }

    /**
     * Loops until the server is gone (an IOException), recording what it sent and what was
     * acknowledged; an error answer fails the test.
     */
    private void write(ServerProcess server, String experimentId, AtomicInteger acknowledged) {
        try {
            while (true) {
                JsonNode created = post(server, "/runs/create", Map.of("experiment_id", experimentId));
                String runId = created.at("/run/info/run_id").asText();
                runsCreated.put(runId, true);
                acknowledged.incrementAndGet();
                for (int b = 0; b < 5; b++) {
                    Batch batch = new Batch(runId, b);
                    batchesSent.put(batch, false);
                    post(server, "/runs/log-batch", batchBody(batch));
                    batchesSent.put(batch, true);
                    acknowledged.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // The kill: whatever was in flight is neither acknowledged nor lost-if-acknowledged.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Object> batchBody(Batch batch) {
        List<Map<String, Object>> params = new ArrayList<>();
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            params.add(Map.of("key", "p" + batch.number() + "_" + i, "value", "v" + i));
            metrics.add(Map.of(
                    "key", "loss", "value", batch.number() + i / 10.0, "timestamp", 1000 + i, "step", batch.number()));
        }
        return Map.of(
                "run_id",
                batch.runId(),
                "params",
                params,
                "metrics",
                metrics,
                "tags",
                List.of(Map.of("key", "t" + batch.number(), "value", "done")));
    }

    private void assertEverythingAcknowledgedIsThere(ServerProcess server) throws Exception {
        assertThat(runsCreated).isNotEmpty();
        for (String runId : runsCreated.keySet()) {
            JsonNode run = get(server, "/runs/get?run_id=" + runId);
            assertThat(run.at("/run/info/run_id").asText()).isEqualTo(runId);
            Set<String> params = new HashSet<>();
            run.at("/run/data/params").forEach(p -> params.add(p.get("key").asText()));
            Set<String> tags = new HashSet<>();
            run.at("/run/data/tags").forEach(t -> tags.add(t.get("key").asText()));
            int batchesPresent = 0;
            for (int b = 0; b < 5; b++) {
                Boolean acked = batchesSent.get(new Batch(runId, b));
                boolean present = params.containsAll(List.of("p" + b + "_0", "p" + b + "_1", "p" + b + "_2"))
                        && tags.contains("t" + b);
                boolean absent = !params.contains("p" + b + "_0")
                        && !params.contains("p" + b + "_1")
                        && !params.contains("p" + b + "_2")
                        && !tags.contains("t" + b);
                assertThat(present || absent)
                        .as("batch %d of run %s is all or nothing", b, runId)
                        .isTrue();
                if (Boolean.TRUE.equals(acked)) {
                    assertThat(present)
                            .as("acknowledged batch %d of run %s", b, runId)
                            .isTrue();
                }
                batchesPresent += present ? 1 : 0;
            }
            JsonNode history = get(
                    server,
                    "/metrics/get-history?run_id=" + runId + "&metric_key="
                            + URLEncoder.encode("loss", StandardCharsets.UTF_8));
            assertThat(history.path("metrics").size()).isEqualTo(3 * batchesPresent);
        }
    }

    /** The body of a 200 answer; IOException when the server is gone. */
    private JsonNode post(ServerProcess server, String path, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow" + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode get(ServerProcess server, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow" + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", pathAndQuery, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
