package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric charts and the run comparison over a {@link Filled} server: the history JSON route
 * (downsampling a 100k-point history logged through the REST API, odd keys, errors), the chart
 * figures and bundled scripts, and /compare with its differences.
 */
class WebChartsTest {
    static final int BIG = 100_000;
    static final String ODD_KEY = "val loss/epoch-1.x";

    @TempDir
    static Path dir;

    static Filled f;
    static TestServer server;
    static String other;
    static String otherExp;
    static long bigLogMillis;

    @BeforeAll
    static void fill() throws IOException {
        f = new Filled(dir);
        server = f.server;
        long t0 = System.nanoTime();
        for (int batch = 0; batch < BIG / 1000; batch++) {
            int from = batch * 1000;
            String points = IntStream.range(from, from + 1000)
                    .mapToObj(i -> "{\"key\":\"loss\",\"value\":" + DownsampleTest.loss(i) + ",\"timestamp\":"
                            + (1_000_000L + i) + ",\"step\":" + i + "}")
                    .collect(Collectors.joining(","));
            f.post("runs/log-batch", "{\"run_id\":\"" + f.good + "\",\"metrics\":[" + points + "]}");
        }
        bigLogMillis = (System.nanoTime() - t0) / 1_000_000;
        f.post(
                "runs/log-batch",
                "{\"run_id\":\"" + f.good + "\",\"metrics\":[{\"key\":" + Filled.quote(ODD_KEY)
                        + ",\"value\":1.5,\"timestamp\":5,\"step\":0},{\"key\":" + Filled.quote(ODD_KEY)
                        + ",\"value\":\"NaN\",\"timestamp\":6,\"step\":1},{\"key\":" + Filled.quote(ODD_KEY)
                        + ",\"value\":0.5,\"timestamp\":7,\"step\":2}]}");
        // a run in another experiment, with a different record: commit, numpy, data, seed
        otherExp = f.post("experiments/create", "{\"name\":\"other-exp\"}")
                .path("experiment_id")
                .asText();
        other = f.post(
                        "runs/create",
                        "{\"experiment_id\":\"" + otherExp + "\",\"run_name\":\"other-run\",\"start_time\":"
                                + System.currentTimeMillis() + "}")
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        f.post(
                "runs/log-batch",
                "{\"run_id\":\"" + other + "\",\"params\":[{\"key\":\"seed\",\"value\":\"42\"},"
                        + "{\"key\":\"lr\",\"value\":\"0.2\"}],\"metrics\":[{\"key\":\"acc\",\"value\":0.95,"
                        + "\"timestamp\":1,\"step\":0},{\"key\":\"acc\",\"value\":0.97,\"timestamp\":2,\"step\":1}]}");
        ObjectNode m = f.manifest();
        ((ObjectNode) m.path("git")).put("commit", "1111111111111111111111111111111111111111");
        ((ObjectNode) m.path("python")).putArray("packages").add("numpy==2.5.0").add("pandas==2.2.0");
        ((ObjectNode) m.path("data").path("inputs").get(0)).put("md5", "feedbeef.dir");
        String path = "reprise/manifest.json";
        server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + otherExp
                        + "/" + other + "/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(m.toString())));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static JsonNode json(String pathAndQuery, int status) throws IOException {
        TestServer.Response r = server.get(pathAndQuery);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return Filled.JSON.readTree(r.body());
    }

    @Test
    void aHundredThousandPointHistoryComesBackDownsampledWithItsShape() throws IOException {
        long t0 = System.nanoTime();
        JsonNode h = json(Charts.historyLink(f.good, "loss"), 200);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        json(Charts.historyLink(f.good, "loss"), 200);
        long warm = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf(
                "metric history: logged %d points in %d ms, chart JSON in %d ms (first), %d ms (again)%n",
                BIG, bigLogMillis, millis, warm);

        assertThat(h.path("total").asLong()).isEqualTo(BIG);
        assertThat(h.path("sampled").asBoolean()).isTrue();
        JsonNode steps = h.path("steps");
        JsonNode values = h.path("values");
        assertThat(steps.size()).isLessThanOrEqualTo(Charts.MAX_POINTS).isEqualTo(values.size());
        assertThat(steps.get(0).asLong()).isZero();
        assertThat(steps.get(steps.size() - 1).asLong()).isEqualTo(BIG - 1);
        List<Double> vs = new ArrayList<>();
        values.forEach(v -> vs.add(v.asDouble()));
        assertThat(vs).contains(9.5, -3.25);
        assertThat(h.path("times").get(steps.size() - 1).asDouble()).isEqualTo((BIG - 1) / 1000.0);
    }

    @Test
    void oddKeysAreEncodedAndNanIsAGap() throws IOException {
        String run = server.get("/runs/" + f.good).body();
        String link = Charts.historyLink(f.good, ODD_KEY);
        assertThat(link).contains("key=val+loss%2Fepoch-1.x");
        // the figure names its source in an escaped attribute
        assertThat(run).contains(Html.esc(link)).contains("<figcaption>" + ODD_KEY + "</figcaption>");
        JsonNode h = json(link, 200);
        assertThat(h.path("key").asText()).isEqualTo(ODD_KEY);
        assertThat(h.path("sampled").asBoolean()).isFalse();
        assertThat(h.path("values").toString()).isEqualTo("[1.5,null,0.5]");
        assertThat(h.path("steps").toString()).isEqualTo("[0,1,2]");
    }

    @Test
    void badRequestsGetJsonErrors() throws IOException {
        assertThat(json("/runs/" + f.good + "/metric.json", 400).path("error").asText())
                .contains("?key=");
        assertThat(json("/runs/" + f.good + "/metric.json?key=" + Html.q("x".repeat(251)), 400)
                        .path("error")
                        .asText())
                .contains("250");
        assertThat(json("/runs/" + f.good + "/metric.json?key=" + Html.q("../acc"), 404)
                        .path("error")
                        .asText())
                .isEqualTo("run " + f.good + " has no metric '../acc'");
        json("/runs/0123456789abcdef0123456789abcdef/metric.json?key=acc", 404);
    }

    @Test
    void runPageDeclaresChartsAndServesTheBundledScripts() throws IOException, InterruptedException {
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/runs/" + f.good))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'")
                .contains("connect-src 'self'")
                .doesNotContain("unsafe-eval");
        assertThat(page.body())
                .contains("<section id=\"charts\"><h2>Metric history</h2>")
                .contains("<figure class=\"chart\" data-key=\"loss\"")
                .contains("<script src=\"/assets/uplot.js\"></script>")
                .contains(".uplot") // uPlot's style sheet, inline
                .doesNotContain("http://")
                .doesNotContain("https://cdn");
        // without JavaScript the latest values stay in the table, and the JSON is a link away
        assertThat(page.body()).contains("<noscript>").contains("<th scope=\"row\">loss</th>");

        TestServer.Response uplot = server.get("/assets/uplot.js");
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot").hasSizeGreaterThan(40_000);
        assertThat(server.get("/assets/charts.js").body()).contains("figure.chart[data-series]");
        assertThat(server.get("/assets/../policy.yaml").status()).isEqualTo(404);
        assertThat(server.get("/assets/nope.js").status()).isEqualTo(404);
    }

    @Test
    void runsTableSendsTickedRunsToCompare() {
        String page = server.get("/experiments/" + f.exp).body();
        assertThat(page)
                .contains("<form method=\"get\" action=\"/compare\" id=\"compare-form\">")
                .contains("<input type=\"checkbox\" name=\"runs\" value=\"" + f.good
                        + "\" aria-label=\"compare good-run\">")
                .contains("aria-label=\"compare &lt;script&gt;alert(1)&lt;/script&gt;\"");
        // what the form submits: runs=A&runs=B
        TestServer.Response r = server.get("/compare?runs=" + f.good + "&runs=" + f.bad);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<h1>Compare 2 runs</h1>").doesNotContain(Filled.XSS);
    }

    @Test
    void compareShowsParamsMetricsChartsAndRecordDifferences() {
        String page = server.get("/compare?runs=" + f.good + "," + other).body();
        assertThat(page).contains("<h1>Compare 2 runs</h1>");
        // runs from two experiments, each linked
        assertThat(page)
                .contains("/experiments/" + otherExp + "\">other-exp</a>")
                .contains("/experiments/" + f.exp);
        // lr differs and is marked; seed is equal and is not
        assertThat(page)
                .contains(
                        "<tr class=\"differs\"><th scope=\"row\">lr <span class=\"mark\" title=\"differs\">\u2260</span>"
                                + "</th><td>0.1</td><td>0.2</td></tr>")
                .contains("<tr><th scope=\"row\">seed</th><td>42</td><td>42</td></tr>");
        // latest metrics side by side; loss only in the first run
        assertThat(page)
                .contains("<th scope=\"row\">acc <span class=\"mark\" title=\"differs\">\u2260</span></th>"
                        + "<td>0.93</td><td>0.97</td>");
        assertThat(page).contains("<td class=\"absent\">\u2014</td>");
        // one overlaid chart per key, one series per run that logged it
        assertThat(page).contains("data-key=\"acc\" data-series=\"[{&quot;label&quot;:&quot;good-run&quot;");
        assertThat(page).contains("&quot;label&quot;:&quot;other-run&quot;");
        // the records: commit, numpy changed, pandas added, the data input's digest
        assertThat(page)
                .contains("git commit <span class=\"mark\" title=\"differs\">\u2260</span></th><td>" + Filled.COMMIT
                        + "</td><td>1111111111111111111111111111111111111111</td>")
                .contains("numpy <span class=\"mark\" title=\"differs\">\u2260</span></th><td>2.4.6</td><td>2.5.0</td>")
                .contains("pandas <span class=\"mark\" title=\"differs\">\u2260</span></th><td class=\"absent\">"
                        + "\u2014</td><td>2.2.0</td>")
                .contains("data/raw <span class=\"mark\" title=\"differs\">\u2260</span></th><td>0123abcd.dir</td>"
                        + "<td>feedbeef.dir</td>");
        assertThat(page).contains("<tr><th scope=\"row\">Python</th><td>3.11.7</td><td>3.11.7</td></tr>");

        String diffs =
                server.get("/compare?runs=" + f.good + "," + other + "&diff=1").body();
        assertThat(diffs).contains("Show all rows").contains("lr <span class=\"mark\"");
        assertThat(diffs).doesNotContain("<th scope=\"row\">seed</th>").doesNotContain("<th scope=\"row\">Python</th>");
        assertThat(diffs).contains("equal in every run, not listed");
    }

    @Test
    void aRunWithoutRecordIsSaidSo() {
        String page = server.get("/compare?runs=" + f.good + "," + f.bad).body();
        assertThat(page)
                .contains("No record for &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain(Filled.XSS);
    }

    @Test
    void tooFewTooManyAndUnknownRunsAreClearErrors() {
        TestServer.Response one = server.get("/compare?runs=" + f.good);
        assertThat(one.status()).isEqualTo(400);
        assertThat(one.body()).contains("Compare needs 2 to 10 runs, got 1").startsWith("<!DOCTYPE html>");
        String eleven =
                IntStream.range(0, 11).mapToObj(i -> String.format("%032x", i)).collect(Collectors.joining(","));
        TestServer.Response many = server.get("/compare?runs=" + eleven);
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.body()).contains("got 11");
        assertThat(server.get("/compare").status()).isEqualTo(400);
        TestServer.Response unknown = server.get("/compare?runs=" + f.good + ",nope" + Html.q("<b>"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body())
                .contains("No run with id &#39;nope&lt;b&gt;&#39;")
                .doesNotContain("<b>");
    }
}
