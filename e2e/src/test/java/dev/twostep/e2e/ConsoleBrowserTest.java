package dev.twostep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.PlatformClient.Reply;
import dev.twostep.cli.api.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.twostep.e2e.Browser.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's pages in a real browser ({@link Browser}) over the real services: the five packaged services and the
 * packaged console as processes ({@link Platform#console}), on the real broker and fresh databases, the console signed
 * in locally as {@code ./twostep up} runs it. A story of the test's own, with names unique to the run: a build of
 * {@value #VERSION} with two features runs in staging and waits to be promoted into prod, which requires an approval;
 * people act through the pages, CI, the deploy tool and the telemetry through the services' APIs, as they would.
 *
 * <p>The methods are the story's chapters, in order: the promotion (the deploy-orchestrator's four-eyes rule refuses
 * bob's deployment after his own approval and lets it through after alice's), a rollout watched live on the
 * timeline as its samples arrive, its page with the samples and decisions drawn, and what a viewer and an SRE may
 * do. Screenshots go to {@code e2e/target/screenshots}.
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String APPLICATION = "checkout-" + RUN;
    private static final String STAGING = "staging-" + RUN;
    private static final String PROD = "prod-" + RUN;
    private static final String VERSION = "2.0.0";
    /** Rolls out to everyone in prod on recorded samples. */
    private static final String FEATURE = "express-pay-" + RUN;
    /** Its rollout waits for samples that never come, until sam aborts it. */
    private static final String IDLE_FEATURE = "gift-wrap-" + RUN;
    private static final String RUNNING_IN_PROD = "section[data-environment='" + PROD + "'] tr[data-application='"
            + APPLICATION + "']";
    private static final String PROMOTION = "section[data-environment='" + PROD + "'] li[data-promotion='"
            + APPLICATION + "']";

    /** bob is a deployer and an approver; alice only approves. */
    private static final List<String> BOB_MAY = List.of("approve", "deploy");

    private static Platform platform;
    private static PlatformClient api;
    private static Browser browser;
    private static String rolloutId;

    @BeforeAll
    static void startTheConsoleAndRunTheVersionInStaging(Platform shared) {
        platform = shared;
        String console = platform.console();
        api = new PlatformClient(platform.environment());
        browser = new Browser(console);

        define(STAGING, null, false);
        define(PROD, STAGING, true);
        postBuild();
        await().atMost(PATIENCE).until(() -> api.get(Service.REGISTRY, "/artefacts/" + APPLICATION + "/versions/"
                + VERSION).isSuccess());
        // The deploy-orchestrator learns of the artefact from the registry's events a moment after it is published.
        Reply staging = await().atMost(PATIENCE).until(() -> api.post(Service.DEPLOY, "/deployments", Map.of(
                "application", APPLICATION, "version", VERSION, "environment", STAGING), "bob"),
                reply -> reply.status() != 422);
        reportSuccess(api.require(staging, "deploying to staging").path("id").asText());
    }

    @AfterAll
    static void stopTheBrowserAndTheConsole() {
        if (browser != null) {
            browser.close();
        }
        platform.stopConsole();
    }

    @Test
    @Order(1)
    void aliceApprovesAPromotionAfterBobsOwnApprovalWasNotEnoughForHisDeployment() {
        browser.signInAs("bob");
        clickOnThePromotion("", BOB_MAY, "approve");
        assertThat(awaitMessage("ok")).isEqualTo("Approved " + APPLICATION + " " + VERSION + " for " + PROD
                + " as bob");

        clickOnThePromotion("bob", BOB_MAY, "deploy");
        assertThat(awaitMessage("refused")).startsWith("Refused (403): ").contains("the only approval of version "
                + VERSION + " of " + APPLICATION + " into " + PROD + " is by bob, who requests the deployment;"
                + " someone else must approve it");
        browser.screenshot("approval-bob-refused");

        browser.signInAs("alice");
        clickOnThePromotion("bob", List.of("approve"), "approve");
        assertThat(awaitMessage("ok")).isEqualTo("Approved " + APPLICATION + " " + VERSION + " for " + PROD
                + " as alice");
        browser.screenshot("approval-alice");

        browser.signInAs("bob");
        clickOnThePromotion("bob, alice", BOB_MAY, "deploy");
        assertThat(awaitMessage("ok")).isEqualTo("Deployment of " + APPLICATION + " " + VERSION + " into " + PROD
                + " requested as bob");

        // The deploy tool carries the deployment out; the console's own timeline names it and who asked for it.
        JsonNode requested = await().atMost(PATIENCE).until(() -> timelineEntry("environment=" + PROD
                + "&application=" + APPLICATION, "dev.twostep.deployment.requested."), entry -> !entry.isMissingNode());
        assertThat(requested.path("actor").asText()).isEqualTo("bob");
        reportSuccess(requested.path("subject").asText());
        browser.open("environments.html");
        assertThat(browser.awaitShown(RUNNING_IN_PROD).getText()).contains(VERSION);
        assertThat(browser.findAll(PROMOTION)).isEmpty();
        assertThat(browser.find("section[data-environment='" + PROD + "']").getText())
                .contains("Approved: " + APPLICATION + " " + VERSION + " approved by bob, alice");
    }

    @Test
    @Order(2)
    void theTimelineFillsLiveWhileARolloutAdvancesOnItsSamples() {
        browser.signInAs("viewer");
        browser.open("index.html?feature=" + FEATURE);
        await().atMost(PATIENCE).until(() -> "true".equals(browser.find("#live-state").getDomAttribute("data-live")));

        rolloutId = startRollout(FEATURE);
        // Three steps (10, 50, 100 %): five samples of each arm a step, the treatment failing 0.8 % and the control
        // 1 %; at 100 % there is no control, and the earlier steps' is pooled.
        for (int step = 1; step <= 3; step++) {
            int current = step;
            await().atMost(PATIENCE).until(() -> analyzer(rolloutId).path("currentStep").asInt() == current);
            for (int sample = 0; sample < 5; sample++) {
                if (step < 3) {
                    recordSample("off", 1_000, 10);
                }
                recordSample("on", 1_000, 8);
            }
            await().atMost(PATIENCE).until(() -> analyzer(rolloutId).path("decisions").asInt() == current);
        }
        await().atMost(PATIENCE).until(() -> analyzer(rolloutId).path("status").asText().equals("COMPLETED"));

        // Every row of the rollout arrived over server-sent events while the page was open: none existed before.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(freshTypes())
                .contains("rollout.started", "feature.released", "rollout.completed")
                .filteredOn(type -> type.equals("rollout.advancedecided")).hasSize(3));
        assertThat(browser.find("#timeline tr.fresh[data-type^='dev.twostep.rollout.advancedecided.'] a")
                .getDomAttribute("href")).isEqualTo("/rollout.html?id=" + rolloutId);
        browser.screenshot("timeline");
    }

    @Test
    @Order(3)
    void theRolloutPageDrawsTheRecordedSamplesAndEachDecisionWithItsEvidence() throws Exception {
        browser.openUntil("rollout.html?id=" + rolloutId, page -> page.findAll("svg.chart g.decision").size() == 3
                && page.find("#title").getText().endsWith("completed"));

        assertThat(browser.findAll("svg.chart g.decision")).extracting(mark -> mark.getDomAttribute("data-verdict"))
                .containsExactly("advance", "advance", "advance");
        assertThat(browser.findAll("svg.chart .bound")).hasSize(3);
        assertThat(browser.findAll("svg.chart .guard")).hasSize(3);
        // Every recorded sample is a dot at its step's running rate; the last of step 1's treatment has its 5,000
        // requests and 40 errors, what the first decision counted.
        assertThat(browser.findAll("svg.chart circle.sample")).hasSize(25);
        assertThat(browser.findAll("svg.chart path.samples")).extracting(line -> line.getDomAttribute("data-step")
                + line.getDomAttribute("data-variant")).containsExactly("1on", "1off", "2on", "2off", "3on");
        List<WebElement> firstTreatment = browser.findAll("svg.chart circle.sample[data-step='1'][data-variant='on']");
        assertThat(firstTreatment).hasSize(5);
        assertThat(firstTreatment.getLast().getDomAttribute("data-requests")).isEqualTo("5000");
        assertThat(firstTreatment.getLast().getDomAttribute("data-errors")).isEqualTo("40");

        List<String> evidence = new ArrayList<>();
        api.get(Service.ROLLOUT, "/rollouts/" + rolloutId + "/decisions").body()
                .forEach(decision -> evidence.add(decision.at("/decision/evidence/summary").asText()));
        assertThat(evidence).hasSize(3).allSatisfy(words -> assertThat(words).isNotBlank());
        assertThat(browser.find("#decisions").getText()).contains("advance at step 1 (10%)",
                "advance at step 2 (50%)", "advance at step 3 (100%)").contains(evidence);
        assertThat(browser.find("#title").getText()).isEqualTo(FEATURE + "@" + PROD + ": rollout completed");
        assertThat(browser.actionButtons()).isEmpty();
        Path shot = browser.screenshot("rollout");
        assertThat(Files.size(shot)).isGreaterThan(10_000);

        // The page's data: the analyzer's samples, step by step, beside the decision events
        JsonNode page = api.require(api.getFromConsole("/ui/api/rollouts/" + rolloutId), "reading the rollout page");
        assertThat(page.path("samples")).extracting(step -> step.path("step").asInt()).containsExactly(1, 2, 3);
        assertThat(page.at("/samples/0/samples")).hasSize(10);
        assertThat(page.at("/samples/2/samples")).extracting(sample -> sample.path("variant").asText())
                .containsOnly("on").hasSize(5);
    }

    @Test
    @Order(4)
    void aViewerSeesNoActionButtonsAndAnSreAbortsARunningRollout() {
        String idle = "rollout.html?id=" + startRollout(IDLE_FEATURE);

        browser.signInAs("viewer");
        browser.open("environments.html");
        browser.awaitShown(RUNNING_IN_PROD);
        assertThat(browser.actionButtons()).isEmpty();
        browser.openUntil(idle, page -> page.find("#title").getText().endsWith(": rollout running"));
        assertThat(browser.actionButtons()).isEmpty();
        String cell = "tr[data-feature='" + IDLE_FEATURE + "'] td[data-environment='" + PROD + "']";
        browser.openUntil("features.html", page -> !page.findAll(cell).isEmpty()
                && page.find(cell).getText().contains("rollout step 1 of 3"));
        assertThat(browser.actionButtons()).isEmpty();
        assertThat(browser.find("#who").getText()).startsWith("viewer (viewer)");
        browser.screenshot("features-viewer");

        browser.signInAs("sam");
        browser.openUntil(idle, page -> page.find("#title").getText().endsWith(": rollout running"));
        assertThat(browser.actionButtons()).containsExactly("promote", "abort", "rollback");
        browser.find("button[data-action=abort]").click();
        browser.answerPrompt("checkout asked to wait for the sale to end");
        assertThat(awaitMessage("ok")).isEqualTo("Abort done as sam");
        browser.openUntil(idle, page -> page.find("#title").getText()
                .equals(IDLE_FEATURE + "@" + PROD + ": rollout aborted"));
        assertThat(browser.actionButtons()).isEmpty();
        browser.screenshot("rollout-aborted-by-sam");
        JsonNode aborted = timelineEntry("feature=" + IDLE_FEATURE, "dev.twostep.rollout.aborted.");
        assertThat(aborted.path("actor").asText()).isEqualTo("sam");
    }

    private static void define(String environment, String promotesFrom, boolean requiresApproval) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("promotesFrom", promotesFrom);
        definition.put("requiresApproval", requiresApproval);
        definition.put("autoRollbackOnFailure", false);
        definition.put("target", Map.of("kind", "external"));
        api.require(api.put(Service.DEPLOY, "/environments/" + environment, definition, "sam"),
                "defining " + environment);
    }

    private static void postBuild() {
        Instant now = Instant.now();
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("buildId", "gha-" + RUN);
        build.put("ciSystem", "github-actions");
        build.put("runUrl", "https://github.com/acme/checkout/actions/runs/" + RUN);
        build.put("repository", "https://github.com/acme/checkout");
        build.put("commit", "c0ffee" + "0".repeat(34));
        build.put("branch", "main");
        build.put("outcome", "SUCCEEDED");
        build.put("startedAt", now.minusSeconds(120).toString());
        build.put("finishedAt", now.toString());
        build.put("artefacts", List.of(Map.of("name", APPLICATION, "version", VERSION,
                "digest", "sha256:" + "ab".repeat(32), "uri", "oci://registry.example.com/acme/checkout:" + VERSION,
                "features", List.of(FEATURE, IDLE_FEATURE))));
        api.require(api.post(Service.BUILD, "/builds", build, "github-actions"), "posting the build");
    }

    /** The external deploy tool's report, and the deployment's end. */
    private static void reportSuccess(String deploymentId) {
        api.require(api.post(Service.DEPLOY, "/deployments/" + deploymentId + "/status",
                Map.of("status", "SUCCEEDED", "reason", "synced by argo-cd"), "argo-cd"), "reporting the deployment");
        await().atMost(PATIENCE).until(() -> api.get(Service.DEPLOY, "/deployments/" + deploymentId).body()
                .path("status").asText().equals("SUCCEEDED"));
    }

    /**
     * Clicks {@code action} on the promotion into prod once the environments page shows who approved it so far;
     * {@code offered} is every action the page offers the signed-in person there, which their roles decide.
     */
    private static void clickOnThePromotion(String approvedBy, List<String> offered, String action) {
        String promotion = PROMOTION + "[data-approved-by='" + approvedBy + "']";
        browser.openUntilShown("environments.html", promotion);
        assertThat(browser.findAll(promotion + " button[data-action]"))
                .extracting(button -> button.getDomAttribute("data-action")).isEqualTo(offered);
        browser.find(promotion + " button[data-action=" + action + "]").click();
    }

    private static String awaitMessage(String outcome) {
        await().atMost(PATIENCE).until(() -> browser.find("#message").getDomAttribute("class").contains(outcome));
        return browser.find("#message").getText();
    }

    /**
     * A rollout of a feature in prod, started by carol; the release-controller refuses it (409) until it has seen
     * that the feature's code runs there, a moment after the deployment succeeded.
     */
    private static String startRollout(String feature) {
        Map<String, Object> plan = Map.of("steps", List.of(10, 50, 100), "minRequestsPerStep", 5_000,
                "minStepDuration", "PT1S", "maxStepDuration", "PT10M",
                "guard", Map.of("metric", "errorRate", "maxIncrease", 1.0, "confidence", 0.95));
        Reply started = await().atMost(PATIENCE).until(() -> api.post(Service.RELEASE, "/features/" + feature
                + "/environments/" + PROD + "/rollouts", plan, "carol"), reply -> reply.status() != 409);
        return api.require(started, "starting the rollout of " + feature).path("rolloutId").asText();
    }

    /** A sample of the application's traffic for the feature, as its telemetry reports it, in a window from now. */
    private static void recordSample(String variant, long requests, long errors) {
        Instant now = Instant.now();
        api.require(api.post(Service.ROLLOUT, "/metrics", Map.of("samples", List.of(Map.of(
                "sampleId", UUID.randomUUID().toString(), "application", APPLICATION, "environment", PROD,
                "featureKey", FEATURE, "variant", variant, "windowStart", now.toString(),
                "windowEnd", now.plusSeconds(1).toString(), "requests", requests, "errors", errors))),
                "traffic-simulator"), "recording a sample");
    }

    private static JsonNode analyzer(String rollout) {
        return api.get(Service.ROLLOUT, "/rollouts/" + rollout).body();
    }

    /** The first event of a type on the console's timeline (its read model) under a filter; missing when none. */
    private static JsonNode timelineEntry(String filter, String typePrefix) {
        for (JsonNode entry : api.getFromConsole("/ui/api/timeline?" + filter).body()) {
            if (entry.path("type").asText().startsWith(typePrefix)) {
                return entry;
            }
        }
        return MissingNode.getInstance();
    }

    /** The types of the rows the timeline added while open, without {@code dev.twostep.} and the version. */
    private static List<String> freshTypes() {
        return browser.findAll("#timeline tr.fresh").stream().map(row -> row.getDomAttribute("data-type")
                .replaceAll("^dev\\.twostep\\.|\\.v\\d+$", "")).toList();
    }
}
