package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages' HTML over a {@link Filled} server: what a user reads, and that user input never comes back as markup. */
class WebUiTest {
    static final String XSS = Filled.XSS;
    static final String COMMIT = Filled.COMMIT;

    @TempDir
    static Path dir;

    static Filled f;
    static TestServer server;
    static String exp;
    static String good;
    static String bad;
    static String repro;

    @BeforeAll
    static void fill() throws IOException {
        f = new Filled(dir);
        server = f.server;
        exp = f.exp;
        good = f.good;
        bad = f.bad;
        repro = f.repro;
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
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
        assertThat(r.body()).contains("<td class=\"num\">3</td>").contains("66% (2 of 3 judged)");
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

    static String enc(String s) {
        return Html.q(s);
    }
}
