package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.store.PageToken;
import io.reprise.store.StoreFactory;
import io.reprise.store.TrackingStore;
import io.reprise.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages over an experiment of 100,000 runs, written straight into the server's SQLite file in
 * one transaction (the REST API would take minutes): exact counts, paging both ways, the last page
 * and the dashboard. Timings are printed, not asserted (the machine is shared).
 */
class WebScaleTest {
    static final int RUNS = 100_000;

    @TempDir
    static Path dir;

    static TestServer server;
    static String exp;

    @BeforeAll
    static void fill() throws SQLException {
        Path db = dir.resolve("reprise.db");
        String uri = "sqlite:///" + db.toAbsolutePath();
        try (TrackingStore store =
                StoreFactory.open(uri, dir.resolve("artifacts").toUri().toString())) {
            exp = store.createExperiment("big", null, List.of());
        }
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
            c.setAutoCommit(false);
            try (PreparedStatement runs = c.prepareStatement("""
                            INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time,
                                              artifact_uri, lifecycle_stage)
                            VALUES (?, ?, ?, ?, 'FINISHED', ?, ?, ?, 'active')""");
                    PreparedStatement tags =
                            c.prepareStatement("INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)")) {
                for (int i = 0; i < RUNS; i++) {
                    String id = String.format(Locale.ROOT, "%032x", i);
                    long start = now - i * 1000L; // the newest first: run i started i seconds ago
                    runs.setString(1, id);
                    runs.setLong(2, Long.parseLong(exp));
                    runs.setString(3, "run-" + i);
                    runs.setString(4, "user-" + (i % 7));
                    runs.setLong(5, start);
                    runs.setLong(6, start + 500);
                    runs.setString(7, "mlflow-artifacts:/" + exp + "/" + id + "/artifacts");
                    runs.addBatch();
                    tag(tags, id, "mlflow.runName", "run-" + i);
                    tag(tags, id, "reprise.compliance", i % 4 == 0 ? "non-compliant" : "compliant");
                    if (i % 100 == 0) {
                        tag(tags, id, "reprise.reproduction.verdict", i % 500 == 0 ? "DIVERGED" : "REPRODUCED");
                    }
                    if (i % 10_000 == 9_999) {
                        runs.executeBatch();
                        tags.executeBatch();
                    }
                }
                runs.executeBatch();
                tags.executeBatch();
            }
            c.commit();
        }
        System.out.printf(
                Locale.ROOT, "[web-scale] %d runs written in %d ms%n", RUNS, (System.nanoTime() - t0) / 1_000_000);
        server = TestServer.start(dir, uri);
    }

    private static void tag(PreparedStatement tags, String run, String key, String value) throws SQLException {
        tags.setString(1, run);
        tags.setString(2, key);
        tags.setString(3, value);
        tags.addBatch();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String timed(String what, Supplier<TestServer.Response> get) {
        // warm: the first request pays for class loading and SQLite's page cache
        assertThat(get.get().status()).as(what).isEqualTo(200);
        long t0 = System.nanoTime();
        TestServer.Response r = get.get();
        System.out.printf(Locale.ROOT, "[web-scale] %-34s %6d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
        assertThat(r.status()).as(what).isEqualTo(200);
        return r.body();
    }

    @Test
    void experimentsPageCountsEveryRun() {
        String page = timed("experiments page", () -> server.get("/"));
        assertThat(page).contains("<td class=\"num\">100000</td>");
        assertThat(page).contains("75% (75000 of 100000 judged)");
    }

    @Test
    void runsTablePagesForwardAndBack() {
        String first = timed("runs table, first page", () -> server.get("/experiments/" + exp));
        assertThat(first).contains(">run-0</a>").contains(">run-49</a>").doesNotContain(">run-50</a>");
        assertThat(first).doesNotContain("Previous page");
        String second = timed("runs table, next page", () -> server.get(link(first, "Next page")));
        assertThat(second).contains(">run-50</a>").contains(">run-99</a>").doesNotContain(">run-49</a>");
        String back = server.get(link(second, "Previous page")).body();
        assertThat(back).contains(">run-0</a>").contains(">run-49</a>").doesNotContain(">run-50</a>");

        String token = Html.q(PageToken.encodeOffset(RUNS - 50));
        String last = timed("runs table, last page", () -> server.get("/experiments/" + exp + "?page=" + token));
        assertThat(last).contains(">run-99950</a>").contains(">run-99999</a>").doesNotContain("Next page");
        String beforeLast = server.get(link(last, "Previous page")).body();
        assertThat(beforeLast).contains(">run-99900</a>").contains(">run-99949</a>");

        String sorted = timed(
                "runs table, filtered",
                () -> server.get("/experiments/" + exp + "?filter="
                        + Html.q("tags.\"reprise.reproduction.verdict\" = 'DIVERGED'")));
        assertThat(sorted).contains(">run-0</a>").contains(">run-500</a>").doesNotContain(">run-100</a>");
    }

    @Test
    void dashboardCountsInTheStore() {
        String page = timed("compliance dashboard", () -> server.get("/compliance?experiment=" + exp));
        assertThat(page).contains("<dt>Runs</dt><dd>100000</dd>");
        assertThat(page).contains("<dt>Compliant</dt><dd>75% (75000 of 100000 judged runs)</dd>");
        // every 100th run audited, every 500th of them DIVERGED: 800 of 1000 reproduced
        assertThat(page).contains("<dt>Reproduced</dt><dd>80% (800 of 1000 audited runs)</dd>");
        String all = timed("compliance dashboard, all", () -> server.get("/compliance"));
        assertThat(all).contains("<dt>Runs</dt><dd>100000</dd>");
    }

    private static String link(String page, String text) {
        Matcher m = Pattern.compile("<a href=\"([^\"]*)\">" + text + "</a>").matcher(page);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1).replace("&amp;", "&");
    }
}
