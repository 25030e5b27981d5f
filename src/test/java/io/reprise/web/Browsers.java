package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless chromium for the browser tests (installed by scripts/chromium.sh). */
final class Browsers {
    static final Path SHOTS = Path.of("target", "screenshots");

    private Browsers() {}

    private static Path chromium() {
        return found("REPRISE_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
    }

    private static Path driver() {
        return found("REPRISE_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    }

    /** Skips the calling tests, saying how to fix it, when chromium or its driver is missing. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(
                chromium() != null && driver() != null,
                "browser tests skipped: chromium or chromedriver not installed (run scripts/chromium.sh)");
    }

    /** A headless chromium at 1280x800. */
    static ChromeDriver start() throws IOException {
        assumeInstalled();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        Files.createDirectories(SHOTS);
        return browser;
    }

    /** Saves what the browser shows as target/screenshots/NAME.png. */
    static void shot(ChromeDriver browser, String name) throws IOException {
        Path png = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The figure, once the chart script has drawn it (it marks the figure when done). */
    static WebElement drawn(ChromeDriver browser, String css) {
        WebElement figure = browser.findElement(By.cssSelector(css));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (figure.getAttribute("data-drawn") == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(figure.getAttribute("data-drawn")).as(figure.getText()).isEqualTo("true");
        return figure;
    }

    /**
     * Waits until the page's URL holds every part: a form's submit or a click navigates asynchronously,
     * so reading the URL at once can still give the page being left.
     */
    static void navigatedTo(ChromeDriver browser, String... parts) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String url = browser.getCurrentUrl();
        while (!containsAll(url, parts) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            url = browser.getCurrentUrl();
        }
        assertThat(url).contains(parts);
    }

    private static boolean containsAll(String url, String... parts) {
        for (String part : parts) {
            if (!url.contains(part)) {
                return false;
            }
        }
        return true;
    }

    /** The chart's pixels in colour (the series: axes, grid and labels are grey), and where they sit. */
    record Ink(long pixels, double meanX) {}

    /**
     * The coloured pixels of the figure's chart, and their mean x as a fraction of its width: a chart
     * whose data is not drawn has none.
     */
    static Ink ink(ChromeDriver browser, WebElement figure) {
        Object r = browser.executeScript("""
                var c = arguments[0].querySelector('canvas');
                var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                var n = 0, sx = 0;
                for (var i = 0; i < d.length; i += 4) {
                  var hi = Math.max(d[i], d[i + 1], d[i + 2]), lo = Math.min(d[i], d[i + 1], d[i + 2]);
                  if (d[i + 3] > 0 && hi - lo > 60) { n++; sx += (i / 4) % c.width; }
                }
                return [n, n === 0 ? 0 : sx / n / c.width];""", figure);
        java.util.List<?> v = (java.util.List<?>) r;
        return new Ink(((Number) v.get(0)).longValue(), ((Number) v.get(1)).doubleValue());
    }

    private static Path found(String env, String... candidates) {
        String set = System.getenv(env);
        if (set != null && !set.isEmpty()) {
            return Files.isExecutable(Path.of(set)) ? Path.of(set) : null;
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }
}
