package io.b24bridge.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, for the panel's tests. Both are named by path,
 * so Selenium Manager (which would fetch a browser or a driver from the internet) never runs; the build points its
 * own path ({@code SE_MANAGER_PATH}, the parent pom's surefire configuration) at one that does not exist, so an
 * attempt to use it would fail the test instead of downloading. A machine
 * without the browser fails the test (CI installs {@code chromium} and {@code chromium-driver}); it never skips.
 */
public final class PanelBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where every page's picture goes (a test artifact under the module's target/). */
    static final Path SCREENSHOTS = Path.of("target", "panel-screenshots");

    private final ChromeDriver driver;
    private final String base;

    public PanelBrowser(String base, Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the panel's browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; .ci/run installs them): " + CHROMIUM + ", "
                    + CHROMEDRIVER);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--user-data-dir=" + profile.toAbsolutePath(),
                // the appliance's development certificate is signed by the test's own CA
                "--ignore-certificate-errors", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=ru-RU");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        this.driver = new ChromeDriver(service, options);
        this.base = base;
        // --window-size is the window's; the page gets 1280x800 itself (the size the panel is made for)
        @SuppressWarnings("unchecked")
        java.util.List<Long> inner = (java.util.List<Long>) driver.executeScript(
                "return [window.innerWidth, window.innerHeight]");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(
                1280 + (int) (1280 - inner.get(0)), 800 + (int) (800 - inner.get(1))));
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String path) {
        driver.get(base + path);
    }

    /** Waits (up to a minute: CI is a busy 2-core machine) until {@code condition} holds and returns its value. */
    public <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100))
                    .ignoring(StaleElementReferenceException.class) // the page redraws a part while we look
                    .until(condition);
        } catch (TimeoutException e) {
            Path shot = screenshot("failed-" + System.currentTimeMillis());
            throw new AssertionError("the page never got there (" + shot + "); it shows: "
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    public WebElement element(String css) {
        return await(d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    public void type(String css, String text) {
        WebElement e = element(css);
        e.clear();
        e.sendKeys(text);
    }

    public void click(String css) {
        element(css).click();
    }

    /** Waits until the page's text contains {@code text}. */
    public void sees(String text) {
        await(d -> d.findElement(By.tagName("body")).getText().contains(text));
    }

    public String text(String css) {
        return element(css).getText();
    }

    /** Runs a script in the page that calls its last argument back with a value (fetch and the like). */
    public Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves what the browser shows as {@code target/panel-screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
