package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compliance dashboard over a real server whose warn policy (param seed required) set every
 * compliance verdict, with reproduction tags as the reproduction contract writes them. Besides
 * {@link Filled}'s experiment (3 runs: compliant + DIVERGED, non-compliant, compliant reproduction)
 * an experiment "vision": carol's baseline from 100 days ago, REPRODUCED today by a 4-minute
 * reproduction run, and bob's three runs, two without a seed and one DIVERGED.
 */
class DashboardTest {
    static final long DAY = 24L * 3600 * 1000;

    @TempDir
    static Path dir;

    static Filled f;
    static TestServer server;
    static String vision;
    static String baseline;
    static String rerun;
    static String bob1;
    static String bob2;
    static String bob3;

    @BeforeAll
    static void fill() throws IOException {
        f = new Filled(dir);
        server = f.server;
        long now = System.currentTimeMillis();
        vision = f.post("experiments/create", "{\"name\":\"vision\"}")
                .path("experiment_id")
                .asText();
        baseline = run("baseline", "carol", now - 100 * DAY, now - 100 * DAY + 60_000, true);
        rerun = run("baseline-rerun", "carol", now - 4 * 60_000, now, true);
        f.tag(baseline, "reprise.reproduction.verdict", "REPRODUCED");
        f.tag(baseline, "reprise.reproduction.run_id", rerun);
        f.tag(baseline, "reprise.reproduction.at", Long.toString(now));
        f.tag(baseline, "reprise.reproduction.by", "carol");
        f.tag(baseline, "reprise.reproduction.host", "box");
        f.tag(baseline, "reprise.reproduction.count", "1");
        f.tag(rerun, "reprise.reproduction_of", baseline);
        f.tag(rerun, "reprise.reproduction_of.verdict", "REPRODUCED");
        bob1 = run("bob-1", "bob", now - 1000, now, false);
        bob2 = run("bob-2", "bob", now - 1000, now, false);
        bob3 = run("bob-3", "bob", now - 1000, now, true);
        f.tag(bob3, "reprise.reproduction.verdict", "DIVERGED");
        // Filled's DIVERGED reproduction, completed with the contract's time and user
        f.tag(f.good, "reprise.reproduction.at", Long.toString(now - 1000));
        f.tag(f.good, "reprise.reproduction.by", "auditor");
    }

    static String run(String name, String user, long start, long end, boolean seed) {
        String id = f.post(
                        "runs/create",
                        "{\"experiment_id\":\"" + vision + "\",\"run_name\":\"" + name + "\",\"user_id\":\"" + user
                                + "\",\"start_time\":" + start + "}")
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        if (seed) {
            f.post("runs/log-batch", "{\"run_id\":\"" + id + "\",\"params\":[{\"key\":\"seed\",\"value\":\"1\"}]}");
        }
        f.post("runs/update", "{\"run_id\":\"" + id + "\",\"status\":\"FINISHED\",\"end_time\":" + end + "}");
        return id;
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void everyPageLinksTheDashboard() {
        assertThat(server.get("/").body()).contains("<a href=\"/compliance\">Compliance</a>");
        assertThat(server.get("/runs/" + f.good).body()).contains("<a href=\"/compliance\">Compliance</a>");
    }

    @Test
    void overallSharesOfTheLastTwelveWeeks() {
        TestServer.Response r = server.get("/compliance");
        assertThat(r.status()).isEqualTo(200);
        String page = r.body();
        // the baseline started 100 days ago, outside the default window: 3 + 4 runs
        assertThat(page).contains("<dt>Runs</dt><dd>7</dd>");
        assertThat(page).contains("<dt>Compliant</dt><dd>57% (4 of 7 judged runs)</dd>");
        assertThat(page).contains("<dt>Reproduced</dt><dd>0% (0 of 2 audited runs)</dd>");
        assertThat(page).contains("allows at most <strong>level 2 (Standard)</strong>");
        assertThat(page).contains("the last 12 weeks");
        assertThat(page).doesNotContain(Filled.XSS).contains("churn &lt;script&gt;");
        // twelve weeks in the trend table, this week holding every run of the window
        String trend = page.substring(page.indexOf("<table id=\"trend\">"));
        trend = trend.substring(0, trend.indexOf("</table>"));
        assertThat(trend.split("<tr>", -1)).hasSize(1 + 1 + 12);
        assertThat(trend).contains("<td class=\"num\">7</td><td class=\"num\">57% (4/7)</td>");
        // the level this week's runs allow: 57% compliant is below the 90% gate of level 3
        assertThat(trend).contains("Level allowed").contains("\u2264 2</td></tr>");
        assertThat(page).contains("<svg class=\"trend\"").contains("<polyline");
    }

    @Test
    void aLongerWindowAndOneExperiment() {
        String all = server.get("/compliance?weeks=20").body();
        assertThat(all).contains("<dt>Runs</dt><dd>8</dd>");
        assertThat(all).contains("<dt>Compliant</dt><dd>62% (5 of 8 judged runs)</dd>");
        assertThat(all).contains("<dt>Reproduced</dt><dd>33% (1 of 3 audited runs)</dd>");

        String one = server.get("/compliance?weeks=20&experiment=" + vision).body();
        assertThat(one).contains("<h1>Compliance of vision</h1>");
        assertThat(one).contains("<option value=\"" + vision + "\" selected>vision</option>");
        assertThat(one).contains("value=\"20\"");
        assertThat(one).contains("<dt>Runs</dt><dd>5</dd>");
        assertThat(one).contains("<dt>Compliant</dt><dd>60% (3 of 5 judged runs)</dd>");
        assertThat(one).contains("<dt>Reproduced</dt><dd>50% (1 of 2 audited runs)</dd>");
        assertThat(one).doesNotContain("good-run");
    }

    @Test
    void worstOffendersLinkToExactlyTheirRuns() {
        String page = server.get("/compliance").body();
        String offenders = page.substring(page.indexOf("<div id=\"offenders\">"));
        offenders = offenders.substring(0, offenders.indexOf("</div>"));
        // vision (2 non-compliant + 1 diverged) before churn (1 + 1)
        assertThat(offenders.indexOf(">vision<")).isLessThan(offenders.indexOf("churn &lt;script"));
        Matcher bob =
                Pattern.compile("<tr><td>bob</td>.*?<a href=\"([^\"]+)\">2</a>").matcher(offenders);
        assertThat(bob.find()).as(offenders).isTrue();
        String runs = server.get(bob.group(1).replace("&amp;", "&")).body();
        assertThat(runs).contains(">bob-1</a>").contains(">bob-2</a>");
        assertThat(runs).doesNotContain(">bob-3</a>").doesNotContain(">baseline");
        assertThat(runs).doesNotContain("role=\"alert\"");

        // Filled's runs were created without a user: the filter says user_id = ''
        Matcher nobody = Pattern.compile("<tr><td>\\(no user\\)</td>.*?<a href=\"([^\"]+)\">1</a>")
                .matcher(offenders);
        assertThat(nobody.find()).as(offenders).isTrue();
        String theirs = server.get(nobody.group(1).replace("&amp;", "&")).body();
        assertThat(theirs).contains("/runs/" + f.bad + "\"").doesNotContain("/runs/" + f.good + "\"");
        assertThat(theirs).doesNotContain("role=\"alert\"");
    }

    @Test
    void feedOfRecentReproductions() {
        String page = server.get("/compliance").body();
        String feed = page.substring(page.indexOf("<ul class=\"feed\">"));
        feed = feed.substring(0, feed.indexOf("</ul>"));
        assertThat(feed)
                .contains("<a href=\"/runs/" + baseline + "\">baseline</a>"
                        + " from 3 months ago reproduced by carol in 4 min")
                .contains("reproduction <a href=\"/runs/" + rerun + "\">baseline-rerun</a>");
        assertThat(feed).contains("<a href=\"/runs/" + f.good + "\">good-run</a> re-run and diverged by auditor");
        // newest first
        assertThat(feed.indexOf(baseline)).isLessThan(feed.indexOf(f.good));
    }

    @Test
    void badInputIsAnInlineErrorOrA404Page() {
        TestServer.Response weeks = server.get("/compliance?weeks=forever");
        assertThat(weeks.status()).isEqualTo(200);
        assertThat(weeks.body())
                .contains("<p class=\"error\" role=\"alert\" id=\"weeks-error\">")
                .contains("weeks must be a whole number from 1 to 260, not \u201cforever\u201d")
                .contains("the last 12 weeks");
        TestServer.Response unknown = server.get("/compliance?experiment=424242");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("Not available").doesNotContain("error_code");
    }
}
