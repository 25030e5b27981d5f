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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages over a real server with a warn policy, filled through MLflow's REST API: what a user
 * reads in the HTML, and that user input never comes back as markup.
 */
class WebUiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String XSS = "<script>alert(1)</script>";
    static final String COMMIT = "05070e3d9f1c2b3a4d5e6f708192a3b4c5d6e7f8";

    @TempDir
    static Path dir;

    static TestServer server;
    static String exp;
    static String good;
    static String bad;
    static String repro;

    @BeforeAll
    static void fill() throws IOException {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                rules:
                  - name: team
                    experiments: "*"
                    mode: warn
                    require:
                      params:
                        - key: seed
                """);
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

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void experimentsListShowsCountsComplianceAndEscapesNames() {
        TestServer.Response r = server.get("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .contains("<a href=\"/experiments/" + exp + "\">churn &lt;script&gt;alert(1)&lt;/script&gt;</a>");
        assertThat(r.body()).doesNotContain(XSS);
        // 3 runs, 2 with the seed the policy asks for
        assertThat(r.body()).contains("<td class=\"num\">3</td>").contains("67% (2 of 3 judged)");
        assertThat(server.get("/?q=churn").body()).contains("/experiments/" + exp);
        assertThat(server.get("/?q=nothing-like-it").body())
                .contains("No experiments match")
                .doesNotContain("/experiments/" + exp);
    }

    @Test
    void runsTableFiltersSortsAndShowsChosenColumns() {
        String page = server.get("/experiments/" + exp + "?params=lr&metrics=acc&order=" + enc("metrics.acc DESC"))
                .body();
        assertThat(page).contains("<a href=\"/runs/" + good + "\">good-run</a>");
        assertThat(page).contains("&lt;script&gt;").doesNotContain(XSS);
        assertThat(page).contains("<td class=\"num\">0.93</td>").contains("<td class=\"num\">0.71</td>");
        assertThat(page.indexOf("0.93")).isLessThan(page.indexOf("0.71"));
        String asc = server.get("/experiments/" + exp + "?metrics=acc&order=" + enc("metrics.acc ASC"))
                .body();
        assertThat(asc.indexOf("0.71")).isLessThan(asc.indexOf("0.93"));
        assertThat(page)
                .contains("<span class=\"badge bad\">non-compliant</span>")
                .contains("<span class=\"badge ok\">compliant</span>");
        assertThat(page).contains("<span class=\"badge bad\">DIVERGED</span>");

        String filtered = server.get("/experiments/" + exp + "?filter=" + enc("params.seed = '42'"))
                .body();
        assertThat(filtered).contains("good-run").contains("repro-run").doesNotContain("/runs/" + bad);
        assertThat(filtered).contains("value=\"params.seed = &#39;42&#39;\"");
    }

    @Test
    void badFilterIsShownInlineNotAsJson() {
        TestServer.Response r = server.get("/experiments/" + exp + "?filter=" + enc("metrics.acc >> 1"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .contains("<p class=\"error\" role=\"alert\" id=\"filter-error\">")
                .contains("<form");
        assertThat(r.body()).doesNotContain("error_code");
    }

    @Test
    void pagingWalksEveryRunOnce() {
        String first = server.get("/experiments/" + exp + "?n=2").body();
        assertThat(first).contains("Next page");
        String next = first.replaceAll("(?s).*<a href=\"([^\"]*page=[^\"]*)\">Next page.*", "$1")
                .replace("&amp;", "&");
        String second = server.get(next).body();
        assertThat(second).contains("First page").doesNotContain("Next page");
        for (String run : new String[] {good, bad, repro}) {
            int seen =
                    (first.contains("/runs/" + run + "\"") ? 1 : 0) + (second.contains("/runs/" + run + "\"") ? 1 : 0);
            assertThat(seen).as(run).isEqualTo(1);
        }
    }

    @Test
    void runPageShowsRecordVerdictsAndReproductions() {
        String page = server.get("/runs/" + good).body();
        assertThat(page).contains("<h1>good-run</h1>");
        assertThat(page)
                .contains("<span class=\"badge ok\">compliant</span>")
                .contains("under rule <strong>team</strong>");
        assertThat(page).contains("href=\"https://github.com/acme/model/commit/" + COMMIT + "\"");
        assertThat(page)
                .contains("<span class=\"add\">+lr = 0.1</span>")
                .contains("<span class=\"del\">-lr = 0.2</span>");
        assertThat(page)
                .contains("python train.py --seed 42")
                .contains("3.11.7")
                .contains("PYTHONHASHSEED");
        assertThat(page).contains("<td>data/raw</td>").contains("0123abcd.dir");
        assertThat(page).contains("<dt>Seed</dt><dd>42</dd>");
        assertThat(page).contains("acc differs beyond tolerance").contains("by auditor on box");
        assertThat(page).contains("<td class=\"num\">0.9123</td>").contains("numpy changed: 2.4.6 -&gt; 2.5.0");
        assertThat(page).contains("<a href=\"/runs/" + repro + "\">reproduction run</a>");
        assertThat(page).contains("<th scope=\"row\">seed</th><td>42</td>");

        String other = server.get("/runs/" + bad).body();
        assertThat(other)
                .contains("<span class=\"badge bad\">non-compliant</span>")
                .contains("param &#39;seed&#39; is missing");
        assertThat(other)
                .contains("No readable reprise/manifest.json")
                .contains("Not audited")
                .doesNotContain(XSS);

        assertThat(server.get("/runs/" + repro).body())
                .contains("Reproduction of")
                .contains("/runs/" + good);
    }

    @Test
    void artifactsListAndPreview() {
        String root = server.get("/runs/" + good).body();
        assertThat(root).contains("?dir=data#artifacts").contains("?dir=reprise#artifacts");
        String folder = server.get("/runs/" + good + "?dir=data").body();
        assertThat(folder).contains(">data/sample.csv</a>");
        String csv = server.get("/runs/" + good + "?artifact=data/sample.csv").body();
        assertThat(csv)
                .contains("<tr><th>id</th><th>label</th></tr>")
                .contains("<td>a,b</td>")
                .doesNotContain(XSS);
        String json =
                server.get("/runs/" + good + "?artifact=reprise/manifest.json").body();
        assertThat(json).contains("<pre class=\"json\">{\n  &quot;schema_version&quot; : 2");
        assertThat(server.get("/runs/" + good + "?artifact=notes/readme.txt").body())
                .contains("hello &lt;script&gt;")
                .doesNotContain(XSS);
        assertThat(server.get("/runs/" + good + "?artifact=nope.txt").body()).contains("No such artifact.");
    }

    @Test
    void traversalAndUnknownRunsGetHtmlErrors() {
        TestServer.Response up = server.get("/runs/" + good + "?artifact=" + enc("../../../policy.yaml"));
        assertThat(up.status()).isEqualTo(400);
        assertThat(up.body()).contains("<p class=\"error\">").doesNotContain("experiments: ");
        TestServer.Response dirUp = server.get("/runs/" + good + "?dir=" + enc("%2e%2e/%2e%2e"));
        assertThat(dirUp.status()).isEqualTo(400);
        TestServer.Response missing = server.get("/runs/0123456789abcdef0123456789abcdef");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).startsWith("<!DOCTYPE html>").contains("Back to the experiments");
        assertThat(server.get("/experiments/99999").status()).isEqualTo(404);
    }

    @Test
    void apiRoutesAreUntouched() {
        assertThat(server.get("/health").body()).isEqualTo("OK");
        TestServer.Response api = server.get("/api/2.0/mlflow/runs/get?run_id=nope");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.body()).contains("RESOURCE_DOES_NOT_EXIST");
    }

    static ObjectNode manifest() {
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

    static String run(String name, String params, double acc) {
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

    static void tag(String run, String key, String value) {
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":" + quote(key) + ",\"value\":" + quote(value) + "}");
    }

    static void upload(String run, String path, String content) {
        TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(
                        server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static JsonNode post(String endpoint, String body) {
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
