package dev.twostep.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's pages in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's
 * ChromeDriver (nothing is downloaded). The console runs on the real broker and a fresh database and is fed real
 * event envelopes on the topics ({@link BrowserStory}); the services it calls for environments, features and
 * approvals are {@link StandInServices}, which record the token each call carried. Screenshots go to
 * {@code target/screenshots}.
 */
@QuarkusTest
@TestProfile(BrowserProfile.class)
@WithTestResource(RealInfrastructure.class)
class ConsoleBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final BrowserStory STORY = new BrowserStory();
    private static WebDriver browser;

    @TestHTTPResource("/")
    URL console;

    @ConfigProperty(name = "twostep.deploy-orchestrator.url")
    String standIn;

    @BeforeAll
    static void startTheBrowserAndPublishTheStory() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        STORY.publish();
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theTimelineFillsLiveAsEventsArrive() {
        signInAs("viewer");
        open("index.html?environment=" + STORY.prod);
        await().atMost(PATIENCE).until(() -> "true".equals(find("#live-state").getDomAttribute("data-live"))
                && rows().size() >= 2);
        int before = rows().size();

        EventEnvelope first = STORY.deployedNow("1.4.1");
        EventEnvelope second = STORY.deployedNow("1.4.2");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.findElements(
                By.cssSelector("#timeline tr.fresh"))).extracting(row -> row.getDomAttribute("data-event-id"))
                .contains(first.id().toString(), second.id().toString()));
        assertThat(rows()).hasSize(before + 2);
        assertThat(find("#timeline tr[data-event-id='" + second.id() + "']").getText())
                .contains(STORY.application + " 1.4.2 runs in " + STORY.prod).contains("argo-cd");
        assertThat(find("#timeline tr[data-event-id='" + first.id() + "'] a").getDomAttribute("href"))
                .isEqualTo("/story.html?id=" + STORY.correlation);
        screenshot("timeline");
    }

    @Test
    void aRolloutPageDrawsEachDecisionWithItsEvidence() throws IOException {
        signInAs("sam");
        open("rollout.html?id=" + STORY.rollout);
        await().atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector("svg.chart g.decision")).size() == 2);

        List<WebElement> marks = browser.findElements(By.cssSelector("svg.chart g.decision"));
        assertThat(marks).extracting(mark -> mark.getDomAttribute("data-verdict")).containsExactly("advance", "hold");
        assertThat(browser.findElements(By.cssSelector("svg.chart .bound"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("svg.chart .guard"))).hasSize(2);
        assertThat(find("#decisions").getText())
                .contains("advance at step 1 (10%)", "upper bound +0.27pp < 0.5pp at 95%")
                .contains("hold at step 2 (50%)", "held for a person");
        assertThat(find("#title").getText()).isEqualTo(STORY.feature + "@" + STORY.staging + ": rollout running");
        assertThat(actionButtons()).containsExactly("promote", "abort", "rollback");
        Path shot = screenshot("rollout");
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    @Test
    void aliceApprovesAPromotionAndBobIsRefused() throws Exception {
        signInAs("bob");
        open("environments.html");
        WebElement pending = awaitPendingApproval();
        pending.findElement(By.cssSelector("button[data-action=approve]")).click();
        await().atMost(PATIENCE).until(() -> find("#message").getDomAttribute("class").contains("refused"));
        assertThat(find("#message").getText()).startsWith("Refused (403)").contains("someone else must approve it");
        screenshot("approval-bob-refused");

        signInAs("alice");
        open("environments.html");
        awaitPendingApproval().findElement(By.cssSelector("button[data-action=approve]")).click();
        await().atMost(PATIENCE).until(() -> find("#message").getDomAttribute("class").contains("ok"));
        assertThat(find("#message").getText())
                .isEqualTo("Approved " + STORY.application + " 1.4.0 for " + STORY.prod + " as alice");
        List<String> approvers = new ArrayList<>();
        seenByTheStandIn().forEach(seen -> {
            if (seen.path("path").asText().endsWith("/approvals")) {
                approvers.add(seen.path("subject").asText());
            }
        });
        assertThat(approvers).containsExactly("bob", "alice");

        // The service's event names alice (the stand-in publishes nothing, so the test does it for the service), and
        // the promotion is no longer pending.
        STORY.approved(new PromotionApproved(STORY.application, "1.4.0", STORY.prod, "alice"));
        await().atMost(PATIENCE).untilAsserted(() -> {
            open("environments.html");
            await().atMost(PATIENCE).until(() -> !browser.findElements(By.cssSelector(environment(STORY.prod)
                    + " p.muted")).isEmpty());
            assertThat(find(environment(STORY.prod)).getText())
                    .contains("Approved: " + STORY.application + " 1.4.0 approved by alice");
            assertThat(browser.findElements(By.cssSelector(environment(STORY.prod) + " li[data-pending]"))).isEmpty();
        });
        screenshot("approval-alice");
    }

    @Test
    void aViewerSeesNoActionButtons() {
        signInAs("viewer");
        open("environments.html");
        awaitPendingApproval();
        assertThat(actionButtons()).isEmpty();
        assertThat(find(environment(STORY.staging)).getText()).contains("1.4.0", STORY.buildId("1.4.0"));
        assertThat(find(environment(STORY.staging) + " a").getDomAttribute("href"))
                .isEqualTo("https://ci.example.com/runs/" + STORY.buildId("1.4.0"));

        open("rollout.html?id=" + STORY.rollout);
        await().atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector("svg.chart g.decision")).size() == 2);
        assertThat(actionButtons()).isEmpty();

        open("features.html");
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.cssSelector(
                "tr[data-feature='" + STORY.feature + "']")).isEmpty());
        assertThat(find("tr[data-feature='" + STORY.feature + "'] td[data-environment='" + STORY.staging + "']")
                .getText()).contains("50%", "rollout step 2 of 3");
        assertThat(find("tr[data-feature='" + STORY.feature + "'] td[data-environment='" + STORY.prod + "']")
                .getText()).isEqualTo("code not deployed");
        assertThat(find("#who").getText()).startsWith("viewer (viewer)");
        screenshot("features-viewer");
    }

    private JsonNode seenByTheStandIn() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return EventJson.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(standIn + "/stand-in/seen"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    private void signInAs(String persona) {
        open("sign-in.html");
        await().atMost(PATIENCE).until(() -> !browser.findElements(
                By.cssSelector("button[data-persona='" + persona + "']")).isEmpty());
        find("button[data-persona='" + persona + "']").click();
        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().endsWith("/index.html"));
    }

    private WebElement awaitPendingApproval() {
        String selector = environment(STORY.prod) + " li[data-pending='" + STORY.application + "']";
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.cssSelector(selector)).isEmpty());
        return find(selector);
    }

    private static String environment(String name) {
        return "section[data-environment='" + name + "']";
    }

    private List<String> actionButtons() {
        return browser.findElements(By.cssSelector("button[data-action]")).stream()
                .map(button -> button.getDomAttribute("data-action")).toList();
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#timeline tr"));
    }

    private void open(String page) {
        browser.get(console.toString() + page);
    }

    private static WebElement find(String selector) {
        return browser.findElement(By.cssSelector(selector));
    }

    private static Path screenshot(String name) {
        try {
            Path file = Files.createDirectories(Path.of("target", "screenshots")).resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the screenshot " + name, e);
        }
    }
}
