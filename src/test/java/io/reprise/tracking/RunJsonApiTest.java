package io.reprise.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact text of a run in runs/create, runs/get, runs/update and runs/search answers on a real
 * server: MLflow's field names and order, int64 as numbers, NaN as MLflow writes it, empty lists
 * left out but {@code data}, {@code inputs} and {@code outputs} always there.
 */
class RunJsonApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/2.0/mlflow/";

    @TempDir
    Path dir;

    private static String ok(TestServer.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static String experiment(TestServer s, String name) throws Exception {
        return JSON.readTree(ok(s.post(API + "experiments/create", "{\"name\":\"" + name + "\"}")))
                .get("experiment_id")
                .asText();
    }

    private static String info(String runId, String experimentId, String artifacts, String status, String end) {
        return "{\"run_id\":\"" + runId + "\",\"run_uuid\":\"" + runId + "\",\"run_name\":\"r1\",\"experiment_id\":\""
                + experimentId + "\",\"user_id\":\"u\",\"status\":\"" + status + "\",\"start_time\":1000" + end
                + ",\"artifact_uri\":\"" + artifacts + "\",\"lifecycle_stage\":\"active\"}";
    }

    @Test
    void aRunReadsBackInMlflowsExactShape() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            String exp = experiment(s, "shape");
            String created = ok(s.post(
                    API + "runs/create",
                    "{\"experiment_id\":\"" + exp + "\",\"user_id\":\"u\",\"run_name\":\"r1\",\"start_time\":1000}"));
            JsonNode run = JSON.readTree(created).get("run");
            String id = run.at("/info/run_id").asText();
            String artifacts = run.at("/info/artifact_uri").asText();
            // a new run: its name tag, no metrics, params or inputs, and no outputs yet
            assertThat(created)
                    .isEqualTo("{\"run\":{\"info\":" + info(id, exp, artifacts, "RUNNING", "")
                            + ",\"data\":{\"tags\":[{\"key\":\"mlflow.runName\",\"value\":\"r1\"}]},\"inputs\":{}}}");

            ok(s.post(
                    API + "runs/log-batch",
                    "{\"run_id\":\"" + id + "\",\"metrics\":["
                            + "{\"key\":\"loss\",\"value\":0.25,\"timestamp\":5,\"step\":2},"
                            + "{\"key\":\"acc\",\"value\":\"NaN\",\"timestamp\":6,\"step\":3}],"
                            + "\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"},{\"key\":\"bs\",\"value\":\"8\"}],"
                            + "\"tags\":[{\"key\":\"team\",\"value\":\"a\\\"b\"}]}"));
            String model = JSON.readTree(
                            ok(s.post(API + "logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"m\"}")))
                    .at("/model/info/model_id")
                    .asText();
            ok(s.post(
                    API + "runs/log-inputs",
                    "{\"run_id\":\"" + id + "\",\"datasets\":[{"
                            + "\"tags\":[{\"key\":\"mlflow.data.context\",\"value\":\"train\"}],"
                            + "\"dataset\":{\"name\":\"d\",\"digest\":\"x1\",\"source_type\":\"local\",\"source\":\"s\","
                            + "\"schema\":\"{}\"}}],\"models\":[{\"model_id\":\"" + model + "\"}]}"));
            ok(s.post(
                    API + "runs/outputs",
                    "{\"run_id\":\"" + id + "\",\"models\":[{\"model_id\":\"" + model + "\",\"step\":7}]}"));
            String updated = ok(s.post(
                    API + "runs/update", "{\"run_id\":\"" + id + "\",\"status\":\"FINISHED\",\"end_time\":2000}"));
            String finished = info(id, exp, artifacts, "FINISHED", ",\"end_time\":2000");
            assertThat(updated).isEqualTo("{\"run_info\":" + finished + "}");

            String whole = "{\"info\":" + finished + ",\"data\":{\"metrics\":["
                    + "{\"key\":\"acc\",\"value\":\"NaN\",\"timestamp\":6,\"step\":3},"
                    + "{\"key\":\"loss\",\"value\":0.25,\"timestamp\":5,\"step\":2}],"
                    + "\"params\":[{\"key\":\"bs\",\"value\":\"8\"},{\"key\":\"lr\",\"value\":\"0.1\"}],"
                    + "\"tags\":[{\"key\":\"mlflow.runName\",\"value\":\"r1\"},{\"key\":\"team\",\"value\":\"a\\\"b\"}]},"
                    + "\"inputs\":{\"dataset_inputs\":[{\"tags\":[{\"key\":\"mlflow.data.context\",\"value\":\"train\"}],"
                    + "\"dataset\":{\"name\":\"d\",\"digest\":\"x1\",\"source_type\":\"local\",\"source\":\"s\","
                    + "\"schema\":\"{}\"}}],\"model_inputs\":[{\"model_id\":\"" + model + "\"}]},"
                    + "\"outputs\":{\"model_outputs\":[{\"model_id\":\"" + model + "\",\"step\":7}]}}";
            assertThat(ok(s.get(API + "runs/get?run_id=" + id))).isEqualTo("{\"run\":" + whole + "}");
            assertThat(ok(s.post(
                            API + "runs/search",
                            "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"params.lr = '0.1'\","
                                    + "\"order_by\":[\"metrics.loss DESC\"],\"max_results\":1}")))
                    .isEqualTo("{\"runs\":[" + whole + "]}");
        }
    }

    @Test
    void aPageWithMoreRunsHasANextPageTokenAndAnEmptyPageHasNoRunsField() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            String exp = experiment(s, "pages");
            for (int i = 0; i < 2; i++) {
                ok(s.post(API + "runs/create", "{\"experiment_id\":\"" + exp + "\",\"start_time\":" + i + "}"));
            }
            JsonNode page = JSON.readTree(
                    ok(s.post(API + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":1}")));
            assertThat(page.get("runs")).hasSize(1);
            assertThat(page.get("next_page_token").asText()).isNotEmpty();
            assertThat(ok(s.post(
                            API + "runs/search",
                            "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"params.none = 'x'\"}")))
                    .isEqualTo("{}");
        }
    }
}
