package io.reprise.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Prometheus scrape of a working server shows. */
class MetricsEndpointTest {
    @TempDir
    Path dir;

    @Test
    void requestsAndStoreCallsAreCountedByRouteTemplateAndOperation() {
        try (TestServer server = TestServer.start(dir)) {
            server.post("/api/2.0/mlflow/experiments/create", "{\"name\":\"e\"}");
            server.post("/api/2.0/mlflow/experiments/create", "{\"name\":\"e\"}"); // already exists: 400
            server.get("/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef");
            server.get("/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/model.pkl");
            server.get("/no/such/page");

            TestServer.Response scrape = server.get("/metrics");

            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.body())
                    .contains("reprise_http_request_duration_seconds_count{method=\"POST\","
                            + "route=\"/api/2.0/mlflow/experiments/create\",status=\"200\"} 1")
                    .contains("reprise_http_request_duration_seconds_count{method=\"POST\","
                            + "route=\"/api/2.0/mlflow/experiments/create\",status=\"400\"} 1")
                    .contains("route=\"/api/2.0/mlflow/runs/get\",status=\"404\"")
                    .contains("route=\"unmatched\",status=\"404\"")
                    .contains("reprise_store_call_duration_seconds_count{operation=\"createExperiment\"} 2")
                    .contains("reprise_store_call_duration_seconds_count{operation=\"getRun\"} 1")
                    .contains("jvm_memory_used_bytes")
                    // one series per route, not per artifact path or run id
                    .doesNotContain("model.pkl")
                    .doesNotContain("0123456789abcdef");
        }
    }
}
