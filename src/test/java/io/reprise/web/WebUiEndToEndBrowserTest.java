package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web UI over a server filled only by the real tools: a seeded training run recorded with
 * {@code reprise run}, its {@code reprise reproduce} verdict, and a run logged by a plain mlflow 3
 * client without a seed. A lead browses from {@code /} by clicking, in headless chromium; each page
 * is saved under target/screenshots/e2e-*.png. Skipped, saying why, without chromium, chromedriver
 * or the mlflow venv.
 */
class WebUiEndToEndBrowserTest {

    /** Deterministic from REPRISE_SEED; logs params, a loss curve and a final metric. */
    static final String TRAIN_PY = """
            import os, random
            import mlflow
            random.seed(int(os.environ["REPRISE_SEED"]))
            with mlflow.start_run():
                mlflow.log_params({"lr": "0.1", "epochs": "20"})
                loss = 1.0
                for step in range(20):
                    loss = loss * (0.8 + 0.1 * random.random())
                    mlflow.log_metric("loss", round(loss, 6), step=step)
                mlflow.log_metric("accuracy", round(1 - loss, 6))
            """;

    /** What a colleague runs outside reprise: no seed param, another learning rate. */
    static final String PLAIN_PY = """
            import mlflow
            mlflow.set_experiment("churn")
            with mlflow.start_run(run_name="plain-run"):
                mlflow.log_params({"lr": "0.3", "epochs": "20"})
                for step in range(20):
                    mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
                mlflow.log_metric("accuracy", 0.8)
            """;

    @TempDir
    static Path dir;

    static TestServer server;
    static ChromeDriver browser;
    static String head;
    static String original;

    @BeforeAll
    static void fill() throws IOException {
        Browsers.assumeInstalled();
        Path python = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3/bin/python");
        Assumptions.assumeTrue(Files.isExecutable(python), "needs the mlflow venv: scripts/python-env.sh mlflow3");

        Path policy = Filled.warnPolicy(dir);
        server = TestServer.withPolicy(Files.createDirectories(dir.resolve("server")), policy);
        RepriseCli cli = new RepriseCli(dir, Files.createDirectories(dir.resolve("home")))
                .env("MLFLOW_TRACKING_URI", server.url());
        GitRepo repo = GitRepo.init(Files.createDirectories(dir.resolve("project")))
                .write("train.py", TRAIN_PY)
                .write("plain.py", PLAIN_PY)
                .commitAll("training project");
        head = repo.head();
        RepriseCli here = cli.in(repo.dir());
        RepriseCli.Result run = ok(here.run(
                "run",
                "--experiment",
                "churn",
                "--run-name",
                "seeded-run",
                "--seed",
                "42",
                "--",
                python.toString(),
                "train.py"));
        original = run.runId();
        ok(here.run("reproduce", original));
        ProcessBuilder plain = new ProcessBuilder(python.toString(), "plain.py")
                .directory(repo.dir().toFile())
                .redirectErrorStream(true);
        plain.environment().put("MLFLOW_TRACKING_URI", server.url());
        Process p = plain.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor()).as(out).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }

        browser = Browsers.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static RepriseCli.Result ok(RepriseCli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }

    private static void scrollTo(WebElement e) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", e);
    }

    @Test
    void aLeadAuditsTheRecordedRunComparesAndReadsTheDashboard() throws IOException {
        browser.get(server.url() + "/");
        Browsers.shot(browser, "e2e-01-experiments");
        browser.findElement(By.linkText("churn")).click();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Runs of churn");
        assertThat(rows()).hasSize(3); // the seeded run, its reproduction, the plain run
        WebElement all = browser.findElement(By.cssSelector("#runs tbody"));
        browser.findElement(By.id("filter")).sendKeys("params.seed = '42' and params.lr = '0.1'", Keys.ENTER);
        awaitStale(all);
        Browsers.navigatedTo(browser, "filter=params.seed");
        assertThat(browser.findElement(By.id("runs")).getText())
                .contains("seeded-run")
                .doesNotContain("plain-run");
        Browsers.shot(browser, "e2e-02-runs-filtered");

        browser.findElement(By.linkText("seeded-run")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("seeded-run");
        WebElement code = browser.findElement(By.xpath("//dt[text()='Commit']/following-sibling::dd[1]"));
        assertThat(code.getText()).isEqualTo(head);
        assertThat(browser.findElement(By.id("compliance")).getText())
                .contains("compliant")
                .doesNotContain("non-compliant")
                .contains("team");
        WebElement repro = browser.findElement(By.id("reproductions"));
        assertThat(repro.getText()).contains("REPRODUCED").contains("accuracy");
        assertThat(repro.findElements(By.cssSelector("table tbody tr"))).isNotEmpty();
        Browsers.shot(browser, "e2e-03-run");
        scrollTo(repro);
        Browsers.shot(browser, "e2e-04-run-reproductions");
        WebElement chart = Browsers.drawn(browser, "figure.chart[data-key='loss']");
        assertThat(chart.findElement(By.tagName("canvas")).getSize().getWidth()).isGreaterThan(300);
        assertThat(browser.findElements(By.cssSelector("figure.chart .error"))).isEmpty();
        scrollTo(chart);
        Browsers.shot(browser, "e2e-05-run-chart");

        browser.navigate().back();
        browser.findElement(By.id("filter")).clear();
        WebElement filtered = browser.findElement(By.cssSelector("#runs tbody"));
        browser.findElement(By.id("filter")).sendKeys(Keys.ENTER);
        awaitStale(filtered); // the unfiltered page has loaded, not the one we came back to
        assertThat(rows()).hasSize(3);
        browser.findElement(By.cssSelector("input[aria-label='compare seeded-run']"))
                .click();
        browser.findElement(By.cssSelector("input[aria-label='compare plain-run']"))
                .click();
        browser.findElement(By.xpath("//button[text()='Compare selected']")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Compare 2 runs");
        WebElement lr = browser.findElement(By.xpath("//section[@id='params']//tr[th[starts-with(., 'lr')]]"));
        assertThat(lr.getAttribute("class")).isEqualTo("differs");
        assertThat(lr.getText()).contains("0.1").contains("0.3");
        WebElement epochs = browser.findElement(By.xpath("//section[@id='params']//tr[th='epochs']"));
        assertThat(epochs.getAttribute("class")).isEmpty();
        Browsers.shot(browser, "e2e-06-compare");

        browser.findElement(By.linkText("Compliance")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Compliance");
        String summary = browser.findElement(By.id("summary")).getText();
        Browsers.shot(browser, "e2e-07-compliance");
        WebElement feed = browser.findElement(By.cssSelector("ul.feed"));
        scrollTo(feed);
        Browsers.shot(browser, "e2e-08-compliance-feed");
        assertThat(feed.getText()).contains("REPRODUCED").contains("seeded-run");
        // the reproduction is a run of its own, seeded and judged too: 2 of the 3 runs are compliant
        assertThat(summary).contains("66% (2 of 3 judged runs)").contains("100% (1 of 1 audited runs)");
    }

    private static void awaitStale(WebElement old) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                old.isDisplayed();
                Thread.sleep(50);
            } catch (org.openqa.selenium.WebDriverException e) { // stale, or chrome: "does not belong to the document"
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the page did not reload");
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#runs tbody tr"));
    }
}
