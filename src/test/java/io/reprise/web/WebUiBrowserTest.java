package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * Clicks through the main flows in Debian's headless chromium at 1280x800 and saves a screenshot
 * of each page under target/screenshots/. Skipped, saying why, only when chromium or chromedriver
 * is not installed (scripts/chromium.sh installs both; ./test runs it).
 */
class WebUiBrowserTest {

    @TempDir
    static Path dir;

    static Filled f;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        Browsers.assumeInstalled();
        f = new Filled(dir);
        browser = Browsers.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void findARunFilterItAndReadItsRecord() throws IOException {
        browser.get(f.server.url() + "/");
        WebElement experiment = browser.findElement(By.linkText("churn <script>alert(1)</script>"));
        assertThat(browser.findElement(By.tagName("tbody")).getText()).contains("66% (2 of 3 judged)");
        Browsers.shot(browser, "01-experiments");
        experiment.click();

        assertThat(browser.findElement(By.tagName("h1")).getText())
                .isEqualTo("Runs of churn <script>alert(1)</script>");
        assertThat(rows()).hasSize(3);
        WebElement filter = browser.findElement(By.id("filter"));
        filter.sendKeys("params.seed = '42'");
        browser.findElement(By.id("metrics")).sendKeys("acc");
        filter.sendKeys(Keys.ENTER);
        Browsers.navigatedTo(browser, "filter=params.seed", "metrics=acc");
        assertThat(rows()).hasSize(2);
        assertThat(browser.findElement(By.id("runs")).getText())
                .contains("good-run")
                .contains("0.93")
                .doesNotContain("<script>");
        Browsers.shot(browser, "02-runs-filtered");

        browser.findElement(By.linkText("good-run")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("good-run");
        assertThat(browser.findElement(By.id("compliance")).getText())
                .contains("compliant")
                .contains("team");
        assertThat(browser.findElement(By.id("commit-link")).getAttribute("href"))
                .isEqualTo("https://github.com/acme/model/commit/" + Filled.COMMIT);
        assertThat(browser.findElement(By.cssSelector("pre.diff .add")).getText())
                .isEqualTo("+lr = 0.1");
        assertThat(browser.findElement(By.id("reproductions")).getText())
                .contains("DIVERGED")
                .contains("acc differs beyond tolerance")
                .contains("0.9123");
        assertThat(browser.findElement(By.id("data-inputs")).getText()).contains("data/raw");
        Browsers.shot(browser, "03-run");

        browser.findElement(By.linkText("data/")).click();
        browser.findElement(By.linkText("data/sample.csv")).click();
        assertThat(browser.findElement(By.cssSelector("#artifact table")).getText())
                .contains("a,b");
        Browsers.shot(browser, "04-artifact-csv");
    }

    @Test
    void aRunsMetricHistoryIsDrawn() throws IOException {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            points.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"loss\",\"value\":")
                    .append(1.0 / (1 + i) + (i == 150 ? 0.5 : 0))
                    .append(",\"timestamp\":")
                    .append(1000 + i)
                    .append(",\"step\":")
                    .append(i)
                    .append('}');
        }
        f.post("runs/log-batch", "{\"run_id\":\"" + f.good + "\",\"metrics\":[" + points + "]}");
        browser.get(f.server.url() + "/runs/" + f.good + "#charts");
        WebElement chart = Browsers.drawn(browser, "figure.chart[data-key='loss']");
        WebElement canvas = chart.findElement(By.tagName("canvas"));
        assertThat(canvas.getSize().getWidth()).isGreaterThan(300);
        assertThat(chart.getText()).contains("good-run").contains("step");
        assertThat(browser.findElements(By.cssSelector("figure.chart .error"))).isEmpty();
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", chart);
        Browsers.shot(browser, "06-run-chart");
    }

    @Test
    void aMetricLoggedOnceIsDrawnAsAPoint() throws IOException {
        browser.get(f.server.url() + "/runs/" + f.good + "#charts");
        WebElement acc = Browsers.drawn(browser, "figure.chart[data-key='acc']");
        Browsers.Ink dot = Browsers.ink(browser, acc);
        assertThat(dot.pixels()).as("pixels of the run's one value").isGreaterThan(60);
        assertThat(dot.meanX()).as("the value sits mid-chart, not on its edge").isBetween(0.4, 0.6);
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", acc);
        Browsers.shot(browser, "06b-run-chart-one-point");
    }

    @Test
    void tickTwoRunsAndCompareThem() throws IOException {
        browser.get(f.server.url() + "/experiments/" + f.exp);
        browser.findElement(By.cssSelector("input[aria-label='compare good-run']"))
                .click();
        browser.findElement(By.cssSelector("input[aria-label='compare repro-run']"))
                .sendKeys(Keys.SPACE);
        browser.findElement(By.xpath("//button[text()='Compare selected']")).click();

        Browsers.navigatedTo(browser, "/compare?runs=");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Compare 2 runs");
        WebElement lr = browser.findElement(By.xpath("//section[@id='params']//tr[th[starts-with(., 'lr')]]"));
        assertThat(lr.getAttribute("class")).isEqualTo("differs");
        assertThat(lr.getText()).contains("\u2260").contains("0.1");
        assertThat(lr.findElement(By.tagName("td")).getCssValue("background-color"))
                .isEqualTo("rgba(255, 244, 214, 1)");
        WebElement seed = browser.findElement(By.xpath("//section[@id='params']//tr[th='seed']"));
        assertThat(seed.getAttribute("class")).isEmpty();
        WebElement acc = Browsers.drawn(browser, "figure.chart[data-key='acc']");
        assertThat(acc.getText()).contains("good-run").contains("repro-run");
        Browsers.shot(browser, "07-compare");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", acc);
        Browsers.shot(browser, "08-compare-chart");

        browser.findElement(By.linkText("Only differences")).click();
        Browsers.navigatedTo(browser, "diff=1");
        assertThat(browser.findElements(By.xpath("//section[@id='params']//tr[th='seed']")))
                .isEmpty();
        assertThat(browser.findElement(By.id("params")).getText()).contains("lr");
    }

    @Test
    void aBadFilterIsShownInlineAndTheFormIsKeyboardUsable() throws IOException {
        browser.get(f.server.url() + "/experiments/" + f.exp);
        WebElement filter = browser.findElement(By.id("filter"));
        filter.sendKeys("metrics.acc >> 1", Keys.ENTER);
        assertThat(browser.findElement(By.id("filter-error")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("filter")).getAttribute("value")).isEqualTo("metrics.acc >> 1");
        Browsers.shot(browser, "05-filter-error");

        // from the page start, Tab reaches the navigation links first, then the form
        browser.get(f.server.url() + "/");
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Reprise");
    }

    @Test
    void openTheDashboardFromTheNavAndFollowAWorstOffender() throws IOException {
        browser.get(f.server.url() + "/");
        browser.findElement(By.linkText("Compliance")).click();
        Browsers.navigatedTo(browser, "/compliance");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Compliance");
        assertThat(browser.findElement(By.id("summary")).getText())
                .contains("66% (2 of 3 judged runs)")
                .contains("0% (0 of 1 audited runs)");
        assertThat(browser.findElement(By.id("maturity")).getText()).contains("level 2 (Standard)");
        assertThat(browser.findElement(By.cssSelector("svg.trend")).isDisplayed())
                .isTrue();
        Browsers.shot(browser, "09-compliance");
        WebElement feed = browser.findElement(By.cssSelector("ul.feed"));
        new Actions(browser).scrollToElement(feed).perform();
        assertThat(feed.getText())
                .contains("DIVERGED run good-run re-run and diverged")
                .contains("repro-run");
        Browsers.shot(browser, "09b-compliance-offenders-and-feed");

        // the experiment filter is a plain form: choose an experiment, submit with Enter
        browser.findElement(By.cssSelector("#experiment option[value='" + f.exp + "']"))
                .click();
        browser.findElement(By.id("weeks")).sendKeys(Keys.ENTER);
        Browsers.navigatedTo(browser, "experiment=" + f.exp, "weeks=12");
        assertThat(browser.findElement(By.tagName("h1")).getText())
                .isEqualTo("Compliance of churn <script>alert(1)</script>");

        // the worst experiment's non-compliant count links to exactly that run
        WebElement count =
                browser.findElement(By.cssSelector("table.offenders-experiments tbody tr td:nth-child(5) a"));
        assertThat(count.getText()).isEqualTo("1");
        count.click();
        assertThat(browser.findElement(By.tagName("h1")).getText())
                .isEqualTo("Runs of churn <script>alert(1)</script>");
        assertThat(rows()).hasSize(1);
        assertThat(rows().get(0).getText())
                .contains("<script>alert(1)</script>")
                .contains("non-compliant");
        assertThat(browser.findElement(By.id("filter")).getAttribute("value"))
                .contains("tags.\"reprise.compliance\" = 'non-compliant'");
        Browsers.shot(browser, "10-offender-runs");
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#runs tbody tr"));
    }
}
