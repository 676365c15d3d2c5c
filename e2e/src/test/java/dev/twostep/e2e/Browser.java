package dev.twostep.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.awaitility.core.ConditionTimeoutException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's ChromeDriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}: nothing is downloaded; {@code .ci/run} installs both), on the console's pages as one
 * local persona at a time. Screenshots go to {@code e2e/target/screenshots}.
 */
final class Browser implements AutoCloseable {

    /** How long a page may take to show what the services and the topics just said. */
    static final Duration PATIENCE = Duration.ofSeconds(45);

    private final WebDriver driver;
    private final String site;
    private final Path screenshots;

    Browser(String site) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.site = site;
        this.screenshots = Path.of(System.getProperty("twostep.root", "..")).resolve("e2e/target/screenshots");
    }

    /** Signs in through the local sign-in page, which lands on the timeline. */
    void signInAs(String persona) {
        open("sign-in.html");
        String button = "button[data-persona='" + persona + "']";
        awaitShown(button);
        find(button).click();
        await().atMost(PATIENCE).until(() -> driver.getCurrentUrl().endsWith("/index.html"));
    }

    void open(String page) {
        driver.get(site + "/" + page);
    }

    WebElement find(String selector) {
        return driver.findElement(By.cssSelector(selector));
    }

    List<WebElement> findAll(String selector) {
        return driver.findElements(By.cssSelector(selector));
    }

    WebElement awaitShown(String selector) {
        await().alias(selector).atMost(PATIENCE).until(() -> !findAll(selector).isEmpty());
        return find(selector);
    }

    /**
     * Opens the page again and again until {@code check} holds of it. A page shows what it read when it loaded, and
     * the console's read model follows the topics a moment behind what the services already answer.
     */
    void openUntil(String page, Predicate<Browser> check) {
        await().alias(page).atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            open(page);
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> check.test(this));
                return true;
            } catch (ConditionTimeoutException notYet) {
                return false;
            }
        });
    }

    /** As {@link #openUntil}, until the page shows {@code selector}. */
    WebElement openUntilShown(String page, String selector) {
        openUntil(page, browser -> !browser.findAll(selector).isEmpty());
        return find(selector);
    }

    /** The action buttons the page shows, by their {@code data-action}. */
    List<String> actionButtons() {
        return findAll("button[data-action]").stream().map(button -> button.getDomAttribute("data-action")).toList();
    }

    /** Types {@code answer} into the page's {@code prompt()} and accepts it. */
    void answerPrompt(String answer) {
        await().atMost(PATIENCE).ignoreException(NoAlertPresentException.class).until(() -> {
            driver.switchTo().alert().sendKeys(answer);
            driver.switchTo().alert().accept();
            return true;
        });
    }

    Path screenshot(String name) {
        try {
            Path file = Files.createDirectories(screenshots).resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
