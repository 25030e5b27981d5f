package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real server with a warn policy (param seed required), filled through MLflow's REST API: an
 * experiment whose name carries markup, a compliant captured run with a manifest, diff, artifacts
 * and a DIVERGED reproduction, a non-compliant run named with a script tag, and the reproduction run.
 */
final class Filled implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String XSS = "<script>alert(1)</script>";
    static final String COMMIT = "05070e3d9f1c2b3a4d5e6f708192a3b4c5d6e7f8";

    final TestServer server;
    final String exp;
    final String good;
    final String bad;
    final String repro;

    /** The team policy of the browser tests: param seed required, warn mode (runs are judged, not refused). */
    static Path warnPolicy(Path dir) throws IOException {
        return Files.writeString(dir.resolve("policy.yaml"), """
                rules:
                  - name: team
                    experiments: "*"
                    mode: warn
                    require:
                      params:
                        - key: seed
                """);
    }

    Filled(Path dir) throws IOException {
        Path policy = warnPolicy(dir);
        server = TestServer.withPolicy(dir, policy);
        exp = post("experiments/create", "{\"name\":\"churn " + XSS.replace("\"", "") + "\"}")
                .path("experiment_id")
                .asText();
        good = run("good-run", "{\"key\":\"seed\",\"value\":\"42\"},{\"key\":\"lr\",\"value\":\"0.1\"}", 0.93);
        bad = run(XSS, "{\"key\":\"lr\",\"value\":\"" + XSS.replace("\"", "") + "\"}", 0.71);
        repro = run("repro-run", "{\"key\":\"seed\",\"value\":\"42\"}", 0.93);
        upload(good, "reprise/manifest.json", manifest().toString());
        upload(
                good,
                "reprise/git/diff.patch",
                "diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1 +1 @@\n-lr = 0.2\n+lr = 0.1\n");
        upload(good, "reprise/deps/requirements.txt", "numpy==2.4.6\n");
        upload(good, "data/sample.csv", "id,label\n1,\"a,b\"\n2," + XSS + "\n");
        upload(good, "notes/readme.txt", "hello " + XSS + "\n");
        tag(good, "reprise.reproduction.verdict", "DIVERGED");
        tag(good, "reprise.reproduction.run_id", repro);
        tag(good, "reprise.reproduction.count", "1");
        tag(
                good,
                "reprise.reproduction.1",
                "{\"verdict\":\"DIVERGED\",\"run_id\":\"" + repro
                        + "\",\"at\":1795429791331,\"by\":\"auditor\",\"host\":\"box\",\"reason\":\"acc differs beyond tolerance\","
                        + "\"diverging\":[\"acc\"]}");
        tag(repro, "reprise.reproduction_of", good);
        tag(repro, "reprise.reproduction_of.verdict", "DIVERGED");
        upload(good, "reprise/reproductions/1.json", """
                {"run_id":"x","verdict":"DIVERGED","reason":"acc differs","metrics":[
                 {"key":"acc","original":0.93,"reproduction":0.9123,"tolerance":"abs 0.001","same":false}],
                 "artifacts":[{"path":"model.pkl","original_sha256":"a","reproduction_sha256":"b","same":false}],
                 "causes":["numpy changed: 2.4.6 -> 2.5.0"]}
                """);
    }

    @Override
    public void close() {
        server.close();
    }

    ObjectNode manifest() {
        ObjectNode m = JSON.createObjectNode();
        m.put("schema_version", 2).put("reprise_version", "dev");
        m.putObject("run").put("run_id", good).put("exit_code", 0).put("duration_ms", 44);
        m.putObject("command")
                .put("line", "python train.py --seed 42")
                .put("workdir_in_repo", ".")
                .put("user", "me")
                .put("seed", 42);
        ObjectNode git = m.putObject("git");
        git.put("commit", COMMIT)
                .put("branch", "main")
                .put("remote_url", "git@github.com:acme/model.git")
                .put("dirty", true);
        git.put("diff_artifact", "reprise/git/diff.patch");
        ArrayNode deps = m.putArray("dependencies");
        deps.addObject()
                .put("path", "requirements.txt")
                .put("sha256", "e77e")
                .put("pinning", "pinned")
                .put("detail", "every requirement pinned with ==");
        ObjectNode py = m.putObject("python").put("version", "3.11.7").put("executable", "/venv/bin/python");
        py.putArray("packages").add("numpy==2.4.6");
        m.putObject("system").put("os", "Debian GNU/Linux 12").put("cores", 2).put("memory_bytes", 25276063744L);
        m.putObject("environment").put("PYTHONHASHSEED", "42");
        ObjectNode data = m.putObject("data").put("version", "3f1c9a0b2d4e (1 DVC output)");
        data.putArray("inputs")
                .addObject()
                .put("path", "data/raw")
                .put("md5", "0123abcd.dir")
                .put("size", 2048)
                .put("nfiles", 2)
                .put("source", "data/raw.dvc");
        return m;
    }

    String run(String name, String params, double acc) {
        String id = post(
                        "runs/create",
                        "{\"experiment_id\":\"" + exp + "\",\"run_name\":" + quote(name) + ",\"start_time\":"
                                + System.currentTimeMillis() + "}")
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        post(
                "runs/log-batch",
                "{\"run_id\":\"" + id + "\",\"params\":[" + params + "],\"metrics\":[{\"key\":\"acc\",\"value\":" + acc
                        + ",\"timestamp\":1,\"step\":0}]}");
        post(
                "runs/update",
                "{\"run_id\":\"" + id + "\",\"status\":\"FINISHED\",\"end_time\":" + System.currentTimeMillis() + "}");
        return id;
    }

    void tag(String run, String key, String value) {
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":" + quote(key) + ",\"value\":" + quote(value) + "}");
    }

    void upload(String run, String path, String content) {
        TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(
                        server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    JsonNode post(String endpoint, String body) {
        TestServer.Response r = server.post("/api/2.0/mlflow/" + endpoint, body);
        assertThat(r.status()).as(endpoint + ": " + r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }

    static String enc(String s) {
        return Html.q(s);
    }
}
