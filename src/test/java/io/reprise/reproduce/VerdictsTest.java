package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.ServerRuns;
import io.reprise.testing.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recording verdicts on a real server: concurrent reproductions of one run each get their own history
 * entry, and the summary tags end up describing the last entry whatever the interleaving.
 */
class VerdictsTest extends EndToEnd {
    Server client;

    @BeforeAll
    void connect() {
        client = new Server(URI.create(server.url()), Map.of());
    }

    @Test
    void concurrentReproductionsOfOneRunGetDistinctEntriesAndTheCountOfAll() throws Exception {
        String original = finishedRun();
        int writers = 4;
        List<String> reproductions = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            reproductions.add(finishedRun());
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> numbers = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                Outcome o = outcome(original, reproductions.get(i), i % 2 == 0 ? Verdict.REPRODUCED : Verdict.DIVERGED);
                Map<String, String> env = Map.of("MLFLOW_TRACKING_USERNAME", "writer" + i);
                numbers.add(pool.submit(() -> {
                    go.await();
                    return Verdicts.record(client, o, env);
                }));
            }
            go.countDown();
            Set<Integer> ns = new HashSet<>();
            for (Future<Integer> n : numbers) {
                ns.add(n.get());
            }
            assertThat(ns).containsExactlyInAnyOrder(1, 2, 3, 4);
        } finally {
            pool.shutdown();
        }

        ServerRuns.RecordedRun run = ServerRuns.get(server, original);
        Map<String, String> tags = run.tags();
        assertThat(tags).containsEntry("reprise.reproduction.count", "4");
        Set<String> recordedRuns = new HashSet<>();
        for (int n = 1; n <= writers; n++) {
            JsonNode entry = ServerRuns.parse(tags.get("reprise.reproduction." + n));
            recordedRuns.add(entry.path("run_id").asText());
            assertThat(ServerRuns.parse(run.artifact("reprise/reproductions/" + n + ".json"))
                            .path("n")
                            .asInt())
                    .isEqualTo(n);
        }
        assertThat(recordedRuns).containsExactlyInAnyOrderElementsOf(reproductions);
        JsonNode last = ServerRuns.parse(tags.get("reprise.reproduction.4"));
        assertThat(tags)
                .containsEntry(
                        "reprise.reproduction.verdict", last.path("verdict").asText())
                .containsEntry(
                        "reprise.reproduction.run_id", last.path("run_id").asText())
                .containsEntry("reprise.reproduction.by", last.path("by").asText())
                .containsEntry("reprise.reproduction.at", last.path("at").asText());
        for (String r : reproductions) {
            assertThat(ServerRuns.get(server, r).tags()).containsKey("reprise.reproduction_of.verdict");
        }
    }

    @Test
    void aFailedVerdictWithoutARunReplacesTheLatestRunIdAndKeepsTheHistory() {
        String original = finishedRun();
        String reproduction = finishedRun();
        assertThat(Verdicts.record(client, outcome(original, reproduction, Verdict.REPRODUCED), Map.of()))
                .isEqualTo(1);
        assertThat(Verdicts.record(client, outcome(original, null, Verdict.FAILED), Map.of()))
                .isEqualTo(2);

        Map<String, String> tags = ServerRuns.get(server, original).tags();
        assertThat(tags)
                .containsEntry("reprise.reproduction.verdict", "FAILED")
                .containsEntry("reprise.reproduction.count", "2")
                .doesNotContainKey("reprise.reproduction.run_id");
        assertThat(ServerRuns.parse(tags.get("reprise.reproduction.1"))
                        .path("run_id")
                        .asText())
                .isEqualTo(reproduction);
    }

    @Test
    void theServerRefusesToCreateATagThatExists() {
        String run = finishedRun();
        assertThat(client.createTag(run, "k", "a")).isEqualTo(Server.Claim.CREATED);
        assertThat(client.createTag(run, "k", "b")).isEqualTo(Server.Claim.TAKEN);
        assertThat(ServerRuns.get(server, run).tags()).containsEntry("k", "a");
        TestServer.Response r = server.post(
                "/api/2.0/reprise/runs/create-tag", "{\"run_id\":\"" + run + "\",\"key\":\"k\",\"value\":\"c\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(ServerRuns.parse(r.body()).path("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
    }

    private static Outcome outcome(String original, String reproduction, Verdict verdict) {
        return new Outcome(
                original, "0", reproduction, verdict, "test", "", null, List.of(), List.of(), List.of(), null);
    }

    private String finishedRun() {
        TestServer.Response created = server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"0\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String id = ServerRuns.parse(created.body())
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        TestServer.Response ended =
                server.post("/api/2.0/mlflow/runs/update", "{\"run_id\":\"" + id + "\",\"status\":\"FINISHED\"}");
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        return id;
    }
}
