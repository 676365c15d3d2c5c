package dev.twostep.console.web;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's ChromeDriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}; nothing is downloaded, {@code .ci/run} installs both), and its screenshots, which go
 * to {@code target/screenshots}.
 */
final class Chromium {

    private Chromium() {
    }

    /** A new browser with no cookies of its own. */
    static WebDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(driver, options);
    }

    static Path screenshot(WebDriver browser, String name) {
        try {
            Path file = Files.createDirectories(Path.of("target", "screenshots")).resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the screenshot " + name, e);
        }
    }
}
