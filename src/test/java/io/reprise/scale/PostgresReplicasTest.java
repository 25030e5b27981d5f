package io.reprise.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.store.FreshDatabase;
import io.reprise.store.StoreBackends;
import io.reprise.testing.ServerProcess;
import io.reprise.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Reprise server processes on one PostgreSQL database behave as one server: every
 * acknowledged write is there exactly once, whichever replica took it, and both answer searches
 * alike. (Artifacts are shared storage, as S3 would be; here one folder.)
 */
// One pair of replicas for the class: each test works in its own experiment or run.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresReplicasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITERS = 8;

    private Path dir;

    private FreshDatabase db;
    private ServerProcess processA;
    private ServerProcess processB;
    private Replica a;
    private Replica b;
    private ExecutorService pool;

    /** A client of one replica. */
    private record Replica(String url, HttpClient http) {
        TestServer.Response get(String pathAndQuery) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET());
        }

        TestServer.Response post(String path, String json) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        private TestServer.Response send(HttpRequest.Builder request) throws Exception {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new TestServer.Response(r.statusCode(), r.body());
        }
    }

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        db = StoreBackends.create(StoreBackends.POSTGRES, dir);
        Path artifacts = dir.resolve("shared-artifacts");
        processA = startReplica("a", artifacts);
        processB = startReplica("b", artifacts);
        a = new Replica(processA.url(), HttpClient.newHttpClient());
        b = new Replica(processB.url(), HttpClient.newHttpClient());
        pool = Executors.newFixedThreadPool(WRITERS);
    }

    private ServerProcess startReplica(String name, Path artifacts) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        return ServerProcess.start(
                home,
                List.of(),
                List.of(
                        "--port",
                        "0",
                        "--backend-store-uri",
                        db.uri(),
                        "--artifacts-destination",
                        artifacts.toString()));
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
        processA.close();
        processB.close();
        db.close();
    }

    private Replica replica(int i) {
        return i % 2 == 0 ? a : b;
    }

    private static JsonNode json(TestServer.Response r) throws Exception {
        return JSON.readTree(r.body());
    }

    private <T> List<T> concurrently(int tasks, IntTask<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            int n = i;
            futures.add(pool.submit((Callable<T>) () -> task.run(n)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    private interface IntTask<T> {
        T run(int i) throws Exception;
    }

    private String createRun(Replica server, String experimentId, String name) throws Exception {
        TestServer.Response r = server.post(
                "/api/2.0/mlflow/runs/create",
                "{\"experiment_id\":\"" + experimentId + "\",\"run_name\":\"" + name + "\",\"start_time\":"
                        + System.currentTimeMillis() + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return json(r).at("/run/info/run_id").asText();
    }

    @Test
    void anExperimentNameRacedOnBothReplicasIsCreatedOnce() throws Exception {
        List<TestServer.Response> answers = concurrently(
                WRITERS, i -> replica(i).post("/api/2.0/mlflow/experiments/create", "{\"name\":\"contested\"}"));

        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(answers)
                .filteredOn(r -> r.status() != 200)
                .allSatisfy(r -> assertThat(r.body()).contains("RESOURCE_ALREADY_EXISTS"));
    }

    @Test
    void concurrentWritesThroughBothReplicasAreAllKeptExactlyOnce() throws Exception {
        String exp = json(a.post("/api/2.0/mlflow/experiments/create", "{\"name\":\"shared\"}"))
                .get("experiment_id")
                .asText();
        String run = createRun(a, exp, "shared-run");
        int pointsPerWriter = 60;

        List<Integer> acknowledged = concurrently(WRITERS, w -> {
            int ok = 0;
            for (int step = 0; step < pointsPerWriter; step++) {
                TestServer.Response r = replica(w + step)
                        .post(
                                "/api/2.0/mlflow/runs/log-metric",
                                "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":" + (w * 1000 + step)
                                        + ",\"timestamp\":" + (w * 1000 + step) + ",\"step\":" + (w * 1000 + step)
                                        + "}");
                ok += r.status() == 200 ? 1 : 0;
            }
            TestServer.Response p = replica(w)
                    .post(
                            "/api/2.0/mlflow/runs/log-parameter",
                            "{\"run_id\":\"" + run + "\",\"key\":\"p" + w + "\",\"value\":\"" + w + "\"}");
            return ok + (p.status() == 200 ? 0 : -100_000);
        });
        assertThat(acknowledged).containsOnly(pointsPerWriter);

        for (Replica server : List.of(a, b)) {
            JsonNode history = json(server.get(
                    "/api/2.0/mlflow/metrics/get-history?run_id=" + run + "&metric_key=loss&max_results=25000"));
            Set<Long> steps = new HashSet<>();
            history.get("metrics").forEach(m -> steps.add(m.get("step").asLong()));
            assertThat(history.get("metrics")).hasSize(WRITERS * pointsPerWriter);
            assertThat(steps).hasSize(WRITERS * pointsPerWriter);

            JsonNode data =
                    json(server.get("/api/2.0/mlflow/runs/get?run_id=" + run)).at("/run/data");
            assertThat(data.get("params")).hasSize(WRITERS);
            // the latest value is the one at the highest step, whichever replica wrote it
            assertThat(data.at("/metrics/0/step").asLong()).isEqualTo((WRITERS - 1) * 1000L + pointsPerWriter - 1);
        }
    }

    @Test
    void aParamRacedWithTwoValuesKeepsTheFirstAndRefusesTheOther() throws Exception {
        String run = createRun(a, "0", "param-race");
        List<TestServer.Response> answers = concurrently(
                WRITERS,
                i -> replica(i)
                        .post(
                                "/api/2.0/mlflow/runs/log-parameter",
                                "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"" + (i % 2) + "\"}"));

        String kept = json(b.get("/api/2.0/mlflow/runs/get?run_id=" + run))
                .at("/run/data/params/0/value")
                .asText();
        // identical values are accepted again (MLflow's rule); the other value is refused
        assertThat(answers).allSatisfy(r -> {
            boolean sameValue = r.status() == 200;
            assertThat(sameValue || r.body().contains("INVALID_PARAMETER_VALUE"))
                    .as(r.body())
                    .isTrue();
        });
        long accepted = answers.stream().filter(r -> r.status() == 200).count();
        assertThat(accepted).isEqualTo(WRITERS / 2);
        assertThat(kept).isIn("0", "1");
    }

    @Test
    void runsCreatedOnBothReplicasAreSearchedAlikeFromEither() throws Exception {
        String exp = json(b.post("/api/2.0/mlflow/experiments/create", "{\"name\":\"searched\"}"))
                .get("experiment_id")
                .asText();
        List<String> created = concurrently(40, i -> {
            String run = createRun(replica(i), exp, "r" + i);
            replica(i + 1)
                    .post(
                            "/api/2.0/mlflow/runs/log-metric",
                            "{\"run_id\":\"" + run + "\",\"key\":\"acc\",\"value\":" + (i % 7) / 7.0
                                    + ",\"timestamp\":1}");
            return run;
        });

        List<String> fromA = pagedSearch(a, exp);
        List<String> fromB = pagedSearch(b, exp);
        assertThat(fromA).containsExactlyElementsOf(fromB).containsExactlyInAnyOrderElementsOf(created);
    }

    private List<String> pagedSearch(Replica server, String exp) throws Exception {
        List<String> ids = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = json(server.post(
                    "/api/2.0/mlflow/runs/search",
                    "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":7,\"order_by\":[\"metrics.acc DESC\"],"
                            + "\"filter\":\"metrics.acc >= 0\",\"page_token\":\"" + token + "\"}"));
            page.get("runs").forEach(r -> ids.add(r.at("/info/run_id").asText()));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return ids;
    }
}
